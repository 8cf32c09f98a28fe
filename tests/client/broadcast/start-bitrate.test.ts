import t from 'tap';
import { START_BITRATE_KBPS, withStartBitrate } from '../../../client/broadcast/start-bitrate.ts';

const answer = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 H264/90000',
  'a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  '',
].join('\r\n');

t.test('a video codec without fmtp gets a new line after its rtpmap; one with fmtp gets the parameter appended', async (t) => {
  const out = withStartBitrate(answer, 1200).split('\r\n');
  t.equal(out[out.indexOf('a=rtpmap:96 VP8/90000') + 1], 'a=fmtp:96 x-google-start-bitrate=1200');
  t.ok(out.includes('a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;x-google-start-bitrate=1200'));
  t.ok(out.includes('a=fmtp:111 minptime=10;useinbandfec=1'), 'audio untouched');
  t.ok(out.includes('a=fmtp:97 apt=96'), 'rtx untouched');
  t.equal(out.length, answer.split('\r\n').length + 1, 'one line added');
  t.ok(out.at(-1) === '', 'still ends with CRLF');
});

t.test('defaults, LF line endings, and a start bitrate already named is kept', async (t) => {
  t.match(withStartBitrate(answer), `x-google-start-bitrate=${START_BITRATE_KBPS}`);
  const lf = 'v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=rtpmap:96 VP8/90000\na=fmtp:96 x-google-start-bitrate=500\n';
  t.equal(withStartBitrate(lf, 1500), lf);
  t.equal(withStartBitrate('v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'), 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n', 'no video: unchanged');
});
