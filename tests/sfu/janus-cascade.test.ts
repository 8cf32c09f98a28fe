/**
 * Cascading between two real Janus instances (VideoRoom remote publishers): a Chromium publisher publishes simulcast
 * into a room on Janus A; a remote publisher in a room on Janus B receives A's forwarded RTP; a subscriber on B
 * decodes it and switches simulcast layers there; once unpublished and removed, the feed is gone from B. Also the streams
 * read from the answer, and refusals as SFU codes.
 */
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import type { JanusPublisher, JanusSubscriber } from '../../server/sfu/janus-peers.ts';
import { remoteStreams } from '../../server/sfu/remote-streams.ts';
import { sfuSkipReason, startTestJanus, SFU_ADDRESS } from '../helpers/janus.ts';
import {
  addCandidate,
  answerSubscriberOffer,
  blankPageServer,
  createPublisherOffer,
  openPeerPage,
  setPublisherAnswer,
  waitForDecoded,
} from '../helpers/sfu-pages.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const [a, b] = await Promise.all([startTestJanus(), startTestJanus()]);
  const chromium = await launchChromium();
  const http = await blankPageServer();
  t.teardown(async () => {
    await chromium.close();
    await http.close();
    await Promise.all([a.stop(), b.stop()]);
  });
  const peers = new Map<string, JanusPublisher | JanusSubscriber>();
  const page = await openPeerPage(chromium.browser, http.url, (name, candidate) => {
    void peers.get(name)?.trickle(candidate).catch(() => {});
  });

  t.test("a subscriber on Janus B decodes a publisher of Janus A, on the layer it asks for", async (t) => {
    const roomA = await a.client.createRoom();
    const publisher = await a.client.publish(roomA, await createPublisherOffer(page, { width: 1280, height: 720, simulcast: true }));
    peers.set('publisher', publisher);
    await setPublisherAnswer(page, publisher.answer);
    await publisher.whenUp();

    const streams = remoteStreams(publisher.answer.sdp);
    t.match(streams, [{ type: 'audio', codec: 'opus' }, { type: 'video', codec: 'vp8', simulcast: true }], 'audio and simulcast video, in m-line order');
    const roomB = await b.client.createRoom();
    const remote = await b.client.addRemotePublisher(roomB, streams);
    t.ok(remote.port > 0 && remote.rtcpPort > 0, 'B receives on UDP ports');
    const remoteId = await a.client.publishRemotely(roomA, publisher.feed, { host: SFU_ADDRESS, port: remote.port, rtcpPort: remote.rtcpPort });

    const subscriber = await b.client.subscribe(roomB, remote.feed);
    peers.set('onB', subscriber);
    subscriber.on('candidate', (c) => void addCandidate(page, 'onB', c));
    await subscriber.start(await answerSubscriberOffer(page, 'onB', subscriber.offer));
    t.equal((await waitForDecoded(page, 'onB', 0, 1280)).width, 1280, 'decodes the top layer, 1280 px, through B');
    await subscriber.configureSubstream(0);
    t.equal((await waitForDecoded(page, 'onB', 0, 320)).width, 320, 'every layer crosses: substream 0 on B, 320 px');

    await a.client.unpublishRemotely(roomA, publisher.feed, remoteId);
    await b.client.removeRemotePublisher(roomB, remote.feed);
    await t.rejects(b.client.subscribe(roomB, remote.feed), { code: 'sfu_feed_not_found' }, 'the remote feed is gone');
    await t.resolves(b.client.removeRemotePublisher(roomB, remote.feed), 'removing it twice is not an error');
    await subscriber.leave();
    await publisher.leave();
    await a.client.destroyRoom(roomA);
    await b.client.destroyRoom(roomB);
  });

  t.test('refusals', async (t) => {
    const room = await b.client.createRoom();
    await t.rejects(b.client.addRemotePublisher('no-such-room', [{ type: 'audio', mindex: 0, mid: '0', codec: 'opus' }]), { code: 'sfu_room_not_found' }, 'an unknown room');
    await t.rejects(b.client.addRemotePublisher(room, [{ type: 'video', mindex: 0, mid: '0', codec: 'no-such-codec' }]), { code: 'sfu_refused' }, 'an unknown codec');
    await t.rejects(a.client.publishRemotely(room, 'x', { host: SFU_ADDRESS, port: 9, rtcpPort: 9 }), { code: 'sfu_room_not_found' }, "another instance's room");
    await b.client.destroyRoom(room);
  });
}
