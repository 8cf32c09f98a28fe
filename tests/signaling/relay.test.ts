/**
 * The relay over real sockets: the whole signalling flow, and what a room is told as peers come and go.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { fullExchange, PEER_ID, TEST_OPTIONS, typesOf, until, viewerCount } from './helpers.ts';

const server = await startServer();
t.teardown(() => server.close());

t.test('two rooms at once, one broadcaster and three watchers each: the whole trickle ICE exchange', TEST_OPTIONS, async (t) => {
  const rooms = await Promise.all(['alpha', 'beta'].map((room) => fullExchange(t, server.wsUrl, room, 3)));

  const ids = rooms.flatMap((r) => [r.broadcaster.id, ...r.watchers.map((w) => w.id)]);
  for (const id of ids) t.match(id, PEER_ID, 'ids are 22 base64url characters');
  t.equal(new Set(ids).size, 8, 'ids are distinct');

  for (const [i, r] of rooms.entries()) {
    const roomIds = new Set([r.broadcaster.id, ...r.watchers.map((w) => w.id)]);
    for (const { peer } of [r.broadcaster, ...r.watchers]) {
      for (const m of peer.received) if ('from' in m) t.ok(roomIds.has(m.from), `room ${i}: ${m.type} came from this room`);
    }
    const broadcasterTypes = typesOf(r.broadcaster.peer);
    t.same(broadcasterTypes.slice(0, 4), ['joined', 'getBroadcast', 'getBroadcast', 'getBroadcast'], 'broadcaster: joined, then the getBroadcasts');
    t.same(broadcasterTypes.slice(4).sort(), ['answer', 'answer', 'answer', 'iceAnswerCandidate', 'iceAnswerCandidate', 'iceAnswerCandidate'], 'broadcaster: then answers and candidates, nothing else');
    for (const w of r.watchers) t.same(typesOf(w.peer), ['joined', 'broadcastAvailable', 'offer', 'iceOfferCandidate'], 'watcher: nothing else');
  }
  await Promise.all(rooms.flatMap((r) => [r.broadcaster, ...r.watchers]).map((p) => p.peer.close()));
});

t.test('a joiner gets `joined` first, then the current viewer count', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'first', 'broadcaster');
  t.same(bj, { type: 'joined', id: bj.id, room: 'first', role: 'broadcaster', iceServers: [], iceTransportPolicy: 'all', broadcaster: null, resumed: false });
  await b.next('viewerCount');
  t.same(b.received.slice(0, 2), [bj, { type: 'viewerCount', count: 0 }]);
  const watchers = [];
  for (const count of [1, 2, 3]) {
    const { peer: w, joined } = await WsPeer.joined(server.wsUrl, 'first', 'watcher');
    watchers.push(w);
    await w.next('viewerCount');
    t.same(w.received.slice(0, 2), [joined, { type: 'viewerCount', count }], `watcher ${count}: joined, then viewerCount ${count}`);
  }
  await Promise.all([b, ...watchers].map((p) => p.close()));
});

t.test('a watcher that joins before the broadcast hears broadcastAvailable; a later one is told in joined', TEST_OPTIONS, async (t) => {
  const { peer: early, joined: earlyJoined } = await WsPeer.joined(server.wsUrl, 'order', 'watcher');
  t.equal(earlyJoined.broadcaster, null, 'no broadcaster yet');
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'order', 'broadcaster');
  const { joined: beforeLive, peer: between } = await WsPeer.joined(server.wsUrl, 'order', 'watcher');
  t.equal(beforeLive.broadcaster, null, 'a broadcaster that has not announced is not reported');

  b.send({ type: 'broadcastAvailable' });
  t.same(await early.next(), { type: 'broadcastAvailable', from: bj.id });
  t.same(await between.next(), { type: 'broadcastAvailable', from: bj.id });

  const { peer: late, joined: lateJoined } = await WsPeer.joined(server.wsUrl, 'order', 'watcher');
  t.equal(lateJoined.broadcaster, bj.id, 'joined.broadcaster is the live broadcaster');
  late.send({ type: 'getBroadcast', to: lateJoined.broadcaster });
  t.same(await b.next(), { type: 'getBroadcast', from: lateJoined.id });
  await Promise.all([early, between, late, b].map((p) => p.close()));
});

t.test('the broadcaster leaves: broadcastEnded; a new one announces to the same watchers', TEST_OPTIONS, async (t) => {
  const { peer: b1, joined: b1j } = await WsPeer.joined(server.wsUrl, 'relay', 'broadcaster');
  b1.send({ type: 'broadcastAvailable' });
  const watchers = await Promise.all([1, 2, 3].map(() => WsPeer.joined(server.wsUrl, 'relay', 'watcher')));
  // The watchers join while the announcement is on its way: each learns of it in `joined` or by a message.
  for (const { peer, joined } of watchers) {
    if (joined.broadcaster === null) t.same(await peer.next(), { type: 'broadcastAvailable', from: b1j.id });
    else t.equal(joined.broadcaster, b1j.id);
  }

  await b1.close();
  for (const { peer } of watchers) t.same(await peer.next(), { type: 'broadcastEnded', id: b1j.id });

  const { peer: b2, joined: b2j } = await WsPeer.joined(server.wsUrl, 'relay', 'broadcaster');
  t.not(b2j.id, b1j.id);
  t.same(await b2.next('viewerCount'), { type: 'viewerCount', count: 3 }, 'the new broadcaster learns the count');
  b2.send({ type: 'broadcastAvailable' });
  for (const { peer } of watchers) t.same(await peer.next(), { type: 'broadcastAvailable', from: b2j.id });

  const [first] = watchers;
  first!.peer.send({ type: 'getBroadcast', to: b1j.id });
  t.match(await first!.peer.next(), { type: 'error', code: 'peer_not_found' }, 'the old broadcaster is gone');
  first!.peer.send({ type: 'getBroadcast', to: b2j.id });
  t.same(await b2.next(), { type: 'getBroadcast', from: first!.joined.id });
  await Promise.all([b2, ...watchers.map((w) => w.peer)].map((p) => p.close()));
});

t.test('a watcher leaves: watcherLeft to the broadcaster; viewerCount follows the count', TEST_OPTIONS, async (t) => {
  const { peer: b } = await WsPeer.joined(server.wsUrl, 'count', 'broadcaster');
  const watchers = [];
  for (const n of [1, 2, 3]) {
    const from = b.received.length;
    watchers.push(await WsPeer.joined(server.wsUrl, 'count', 'watcher'));
    await viewerCount(b, n, from);
    t.pass(`the broadcaster sees ${n}`);
  }
  const [w1, w2, w3] = watchers as [(typeof watchers)[0], (typeof watchers)[0], (typeof watchers)[0]];

  const [bFrom, w1From] = [b.received.length, w1.peer.received.length];
  await w2.peer.close();
  t.same(await b.next(), { type: 'watcherLeft', id: w2.joined.id });
  await viewerCount(b, 2, bFrom);
  await viewerCount(w1.peer, 2, w1From);
  t.pass('broadcaster and watchers see 2');

  b.send({ type: 'offer', to: w2.joined.id, sdp: 'v=0\r\n' });
  t.match(await b.next(), { type: 'error', code: 'peer_not_found' }, 'a watcher that left cannot be addressed');

  const from = b.received.length;
  await w1.peer.close();
  await w3.peer.close();
  const left = [await b.next(), await b.next()].map((m) => (m.type === 'watcherLeft' ? m.id : m.type));
  t.same(left.sort(), [w1.joined.id, w3.joined.id].sort(), 'watcherLeft for each');
  await viewerCount(b, 0, from);
  t.pass('the broadcaster sees 0');
  await b.close();
});

t.test('a join storm: throttled viewerCount still ends on the current count', TEST_OPTIONS, async (t) => {
  const { peer: b } = await WsPeer.joined(server.wsUrl, 'storm', 'broadcaster');
  const watchers = await Promise.all(Array.from({ length: 12 }, () => WsPeer.joined(server.wsUrl, 'storm', 'watcher')));
  await viewerCount(b, 12);
  await Promise.all(watchers.map((w) => viewerCount(w.peer, 12)));
  t.pass('everyone sees 12');
  const counts = b.received.filter((m) => m.type === 'viewerCount').map((m) => (m.type === 'viewerCount' ? m.count : -1));
  t.same([...counts].sort((x, y) => x - y), counts, 'counts only grow while watchers only join');
  await Promise.all([b, ...watchers.map((w) => w.peer)].map((p) => p.close()));
});

t.test('until() sees messages already received', TEST_OPTIONS, async (t) => {
  const { peer, joined } = await WsPeer.joined(server.wsUrl, 'helper', 'watcher');
  t.same(await until(peer, 'joined'), joined);
  await peer.close();
  await t.rejects(until(peer, 'offer'), 'rejects once the socket is closed');
});
