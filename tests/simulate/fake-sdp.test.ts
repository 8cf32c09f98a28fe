import nodeDataChannel from 'node-datachannel';
import t from 'tap';
import { fakeAnswer, fakeCandidate, fakeOffer } from '../../scripts/simulate/fake-sdp.ts';
import { cleanupNodeDataChannel } from '../../scripts/simulate/native.ts';
import { mediaIds, payloadCodecs } from '../../scripts/simulate/sdp.ts';
import { IceCandidate } from '../../protocol/messages.ts';

t.teardown(cleanupNodeDataChannel);

t.test('the simulated offer is one a real WebRTC stack answers', async (t) => {
  const pc = new nodeDataChannel.PeerConnection('fake-offer', { iceServers: [], bindAddress: '127.0.0.1' });
  t.teardown(() => pc.close());
  const answered = new Promise<string>((resolve) => pc.onLocalDescription((sdp, type) => type.toLowerCase() === 'answer' && resolve(sdp)));
  pc.setRemoteDescription(fakeOffer(), 'offer');
  const answer = await answered;
  t.match(answer, /m=video 9 UDP\/TLS\/RTP\/SAVPF 96/);
  t.doesNotThrow(() => pc.addRemoteCandidate(fakeCandidate(3), '0'), 'the candidate line parses');
});

t.test('offer and answer: BUNDLE of video and audio, fresh credentials each time, matching directions', async (t) => {
  const offer = fakeOffer();
  const answer = fakeAnswer();
  t.same(mediaIds(offer), ['0', '1']);
  t.same(mediaIds(answer), ['0', '1']);
  t.equal(payloadCodecs(offer).get(96), 'VP8');
  t.match(offer, /a=sendonly\r\n/);
  t.match(answer, /a=recvonly\r\n/);
  t.match(answer, /a=setup:active\r\n/);
  t.not(fakeOffer().match(/a=ice-pwd:\S+/)?.[0], offer.match(/a=ice-pwd:\S+/)?.[0]);
  t.ok(offer.endsWith('\r\n'));
  t.ok(IceCandidate.safeParse({ candidate: fakeCandidate(7), sdpMid: '0', sdpMLineIndex: 0 }).success, 'the candidate fits the protocol');
});
