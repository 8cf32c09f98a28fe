import t from 'tap';
import { MediaReceiver } from '../../scripts/simulate/media-receiver.ts';
import { cleanupNodeDataChannel } from '../../scripts/simulate/native.ts';
import type { IceCandidate } from '../../protocol/messages.ts';
import { createSender, hasRemb, sendRtp } from './helpers/ndc-broadcaster.ts';

t.teardown(cleanupNodeDataChannel);

const receiverOptions = {
  name: 'test-watcher',
  iceServers: [],
  iceTransportPolicy: 'all' as const,
  bindAddress: '127.0.0.1',
  rembBitrate: 3_000_000,
};

t.test('answers an offer, takes candidates that came first, counts RTP and sends REMB', async (t) => {
  const sender = createSender();
  t.teardown(() => sender.pc.close());
  // The offer comes first from node-datachannel, then its candidates trickle: hand the receiver a candidate
  // *before* the offer, as the relay may deliver them out of order.
  const offer = new Promise<string>((resolve) => sender.pc.onLocalDescription((sdp) => resolve(sdp)));
  const firstCandidate = new Promise<IceCandidate>((resolve) =>
    sender.pc.onLocalCandidate((candidate, mid) => resolve({ candidate: candidate.replace(/^a=/, ''), sdpMid: mid })));
  const remb = new Promise<Buffer>((resolve) => sender.video.onMessage((packet) => hasRemb(packet) && resolve(packet)));
  sender.pc.setLocalDescription();

  let connected = () => {};
  const isConnected = new Promise<void>((resolve) => (connected = resolve));
  let firstRtp = (_at: number) => {};
  const gotRtp = new Promise<number>((resolve) => (firstRtp = resolve));
  const answers: string[] = [];
  const receiver = new MediaReceiver(receiverOptions, {
    answer: (sdp) => {
      answers.push(sdp);
      sender.pc.setRemoteDescription(sdp, 'answer');
    },
    candidate: (c) => {
      t.notMatch(c.candidate, /^a=/, 'candidates are sent without the "a=" prefix');
      t.equal(c.sdpMLineIndex, 0, 'the BUNDLE mid is m-line 0');
      sender.pc.addRemoteCandidate(c.candidate, c.sdpMid!);
    },
    state: (state) => state === 'connected' && connected(),
    firstVideoRtp: (at) => firstRtp(at),
  });
  t.teardown(() => receiver.close());

  const [sdp, candidate] = [await offer, await firstCandidate];
  receiver.addRemoteCandidate(candidate); // queued: there is no remote description yet
  receiver.addRemoteCandidate({ candidate: '', sdpMid: 'video' }); // end-of-candidates is skipped
  receiver.applyOffer(sdp);
  await isConnected;
  const stop = sendRtp(sender.video);
  t.teardown(stop);

  const at = await gotRtp;
  t.ok(at > 0, 'first video RTP time is reported');
  const report = await remb;
  t.ok(hasRemb(report), 'the sender received a REMB report');
  t.equal(answers.length, 1);
  t.match(answers[0], /a=recvonly/);
  t.ok(receiver.video.packets > 0);
  t.equal(receiver.video.bytes, receiver.video.packets * 1000, 'bytes are whole RTP packets');
  t.equal(receiver.badCandidates, 0);
  receiver.close();
  receiver.close(); // idempotent
  const counted = receiver.video.packets;
  receiver.addRemoteCandidate(candidate); // ignored once closed
  t.equal(receiver.video.packets, counted);
});

t.test('an offer node-datachannel cannot parse is a bad_offer', async (t) => {
  const receiver = new MediaReceiver(receiverOptions, { answer() {}, candidate() {}, state() {}, firstVideoRtp() {} });
  t.teardown(() => receiver.close());
  t.throws(() => receiver.applyOffer('this is not SDP'), { name: 'WatcherError', code: 'bad_offer' });
});
