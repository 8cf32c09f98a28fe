/**
 * The VideoRoom client against the real Janus (managed, OnAir's config): a Chromium publisher (fake camera) publishes
 * through it, Chromium subscribers answer Janus's offers and decode; simulcast at 1280×720 with a substream picked
 * per subscriber; 500 subscribe/leave cycles leave Janus's handle count as it was; refusals map to SFU codes.
 */
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SfuError } from '../../server/sfu/errors.ts';
import type { JanusPublisher, JanusSubscriber } from '../../server/sfu/janus-peers.ts';
import { sfuSkipReason, startTestJanus } from '../helpers/janus.ts';
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
  const sfu = await startTestJanus();
  const chromium = await launchChromium();
  const http = await blankPageServer();
  t.teardown(async () => {
    await chromium.close();
    await http.close();
    await sfu.stop();
  });

  /** Janus peers by page-side name, for trickling the page's candidates to Janus. */
  const peers = new Map<string, JanusPublisher | JanusSubscriber>();
  const page = await openPeerPage(chromium.browser, http.url, (name, candidate) => {
    void peers.get(name)?.trickle(candidate).catch(() => {});
  });

  /** Publish the fake camera into a new room; resolves with the room and its publisher. */
  async function publish(o: { width: number; height: number; simulcast: boolean }) {
    const room = await sfu.client.createRoom();
    const offer = await createPublisherOffer(page, o);
    const publisher = await sfu.client.publish(room, offer);
    peers.set('publisher', publisher);
    await setPublisherAnswer(page, publisher.answer);
    await publisher.whenUp();
    return { room, publisher };
  }

  /** Subscribe page peer `name` to the publisher; resolves once Janus has its answer. */
  async function subscribe(room: string, feed: string, name: string, substream?: 0 | 1 | 2): Promise<JanusSubscriber> {
    const subscriber = await sfu.client.subscribe(room, feed, substream);
    peers.set(name, subscriber);
    subscriber.on('candidate', (c) => void addCandidate(page, name, c));
    await subscriber.start(await answerSubscriberOffer(page, name, subscriber.offer));
    return subscriber;
  }

  t.test('a publisher publishes, a subscriber decodes its frames', async (t) => {
    const { room, publisher } = await publish({ width: 854, height: 480, simulcast: false });
    t.match(publisher.answer.sdp, /a=candidate:.* 10\.77\.0\.1 /, "Janus's answer carries its candidate on the namespace's veth");
    const subscriber = await subscribe(room, publisher.feed, 'sub1');
    const first = await waitForDecoded(page, 'sub1', 0);
    t.ok((await waitForDecoded(page, 'sub1', first.frames)).frames > first.frames, 'framesDecoded grows');
    // The publisher starts below its resolution while its bandwidth estimate ramps up (no timing asserted here).
    t.equal((await waitForDecoded(page, 'sub1', 0, 854)).height, 480, 'at the published resolution, 854x480');
    await subscriber.leave();
    t.ok(subscriber.closed, 'left');
    await sfu.client.destroyRoom(room);
    await t.rejects(sfu.client.subscribe(room, publisher.feed), { code: 'sfu_room_not_found' }, 'the room is gone');
    await publisher.leave();
  });

  t.test('simulcast at 1280x720: each subscriber gets the layer it asks for', async (t) => {
    const { room, publisher } = await publish({ width: 1280, height: 720, simulcast: true });
    const low = await subscribe(room, publisher.feed, 'low', 0);
    const high = await subscribe(room, publisher.feed, 'high');
    t.equal((await waitForDecoded(page, 'low', 0, 320)).width, 320, 'substream 0: 320 px wide');
    t.equal((await waitForDecoded(page, 'high', 0, 1280)).width, 1280, 'the default: the top layer, 1280 px');
    await low.configureSubstream(2);
    t.equal((await waitForDecoded(page, 'low', 0, 1280)).width, 1280, 'configured to substream 2: 1280 px');
    await high.configureSubstream(1);
    t.equal((await waitForDecoded(page, 'high', 0, 640)).width, 640, 'configured to substream 1: 640 px');
    await low.leave();
    await high.leave();
    await publisher.leave();
    await sfu.client.destroyRoom(room);
  });

  t.test('500 subscribe/leave cycles leave Janus with the same number of handles', async (t) => {
    const room = await sfu.client.createRoom();
    const offer = await createPublisherOffer(page, { width: 640, height: 360, simulcast: false });
    const publisher = await sfu.client.publish(room, offer);
    await setPublisherAnswer(page, publisher.answer);
    await publisher.whenUp();
    const before = await sfu.handleCount();
    for (let i = 0; i < 500; i++) {
      const subscriber = await sfu.client.subscribe(room, publisher.feed);
      await subscriber.leave();
    }
    t.equal(await sfu.handleCount(), before, `${before} handles before and after`);
    await publisher.leave();
    await sfu.client.destroyRoom(room);
  });

  t.test('refusals become SFU error codes, and leak no handle', async (t) => {
    const before = await sfu.handleCount();
    const room = await sfu.client.createRoom();
    await t.rejects(sfu.client.subscribe(room, 'no-such-feed'), { code: 'sfu_feed_not_found' }, 'an unknown feed');
    await t.rejects(sfu.client.subscribe('no-such-room', 'x'), { code: 'sfu_room_not_found' }, 'an unknown room');
    const bad = await sfu.client.publish(room, { type: 'offer', sdp: 'v=0\r\nnot an sdp\r\n' }).catch((err: unknown) => err);
    t.ok(bad instanceof SfuError, 'an SfuError');
    t.equal((bad as SfuError).code, 'sfu_bad_sdp', 'a broken offer: sfu_bad_sdp');
    t.type((bad as SfuError).janusCode, 'number', "with Janus's own code");
    await t.rejects(sfu.client.publish(room, { type: 'answer', sdp: 'v=0\r\n' }), { code: 'sfu_bad_sdp' }, 'an answer is not an offer');
    await sfu.client.destroyRoom(room);
    // The client's one administration handle is new in this test when no room was created before it.
    t.ok((await sfu.handleCount()) <= before + 1, 'no handle left by the refused requests');
  });
}
