/** The streams an `add_remote_publisher` needs, read from Janus's answer to a publisher. */
import t from 'tap';
import { remoteStreams } from '../../server/sfu/remote-streams.ts';

const answer = (...sections: string[]) => ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 't=0 0', ...sections].join('\r\n') + '\r\n';

t.test('audio then simulcast VP8, in m-line order, with the chosen codecs', async (t) => {
  const sdp = answer(
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    'a=rtpmap:111 opus/48000/2',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
    'a=mid:1',
    'a=rtpmap:96 VP8/90000',
    'a=rtpmap:97 rtx/90000',
    'a=rid:h recv',
    'a=simulcast:recv h;m;l',
  );
  t.same(remoteStreams(sdp), [
    { type: 'audio', mindex: 0, mid: '0', codec: 'opus' },
    { type: 'video', mindex: 1, mid: '1', codec: 'vp8', simulcast: true },
  ]);
});

t.test('H.264 first (an encoder), no simulcast, no mid; a rejected m-line is disabled', async (t) => {
  const sdp = answer(
    'm=video 9 UDP/TLS/RTP/SAVPF 102',
    'a=rtpmap:102 H264/90000',
    'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42E01F',
    'm=audio 0 UDP/TLS/RTP/SAVPF 0',
  );
  t.same(remoteStreams(sdp), [
    { type: 'video', mindex: 0, mid: '0', codec: 'h264' },
    { type: 'audio', mindex: 1, mid: '1', disabled: true },
  ]);
});

t.test('no media to forward', async (t) => {
  t.throws(() => remoteStreams(answer('m=application 9 UDP/DTLS/SCTP webrtc-datachannel')), /no audio or video/);
  t.throws(() => remoteStreams('v=0\r\n'), /no audio or video/);
});
