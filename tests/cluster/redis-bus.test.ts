/**
 * Several real OnAir nodes sharing one real Redis (`REDIS_URL`): any node accepts any peer; signalling, viewer
 * counts, chat and the broadcast's end cross between nodes; a peer resumes on another node; the room's limits hold
 * across the cluster; `/api/rooms` shows the cluster's rooms on every node; a node serves its own rooms while Redis
 * is down and the cluster heals when it is back.
 */
import { once } from 'node:events';
import t, { type Test } from 'tap';
import { RoomsReport } from '../../protocol/rooms-report.ts';
import { scrape, value } from '../helpers/prometheus.ts';
import { startRedis, type TestRedis } from '../../scripts/lib/redis-server.ts';
import { startScript } from '../helpers/run-script.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { candidateFor, expectClose, sdpFor, TEST_OPTIONS, typesOf, until, viewerCount } from '../signaling/helpers.ts';

const FAST = { cluster: { heartbeatMs: 100, ttlMs: 400 } };

let redis: TestRedis;
t.before(async () => {
  redis = await startRedis();
});
t.teardown(() => redis.stop());

async function nodes(t: Test, count: number, env: Record<string, string> = {}): Promise<TestServer[]> {
  const started: TestServer[] = [];
  for (let i = 0; i < count; i++) started.push(await startServer({ REDIS_URL: redis.url, ...env }, FAST));
  t.teardown(() => Promise.all(started.map((s) => s.close())));
  return started;
}

async function rooms(node: TestServer): Promise<RoomsReport> {
  const body: unknown = await (await fetch(`${node.httpUrl}/api/rooms`)).json();
  return RoomsReport.parse(body);
}

t.test('a broadcaster on one node, watchers on two others: the whole exchange, counts, chat and the end cross', TEST_OPTIONS, async (t) => {
  const [a, b, c] = await nodes(t, 3);
  const { peer: bc, joined: bj } = await WsPeer.joined(a!.wsUrl, 'x', 'broadcaster');
  bc.send({ type: 'broadcastAvailable' });
  await until(bc, 'resumeToken');
  const w1 = await WsPeer.joined(b!.wsUrl, 'x', 'watcher');
  const w2 = await WsPeer.joined(c!.wsUrl, 'x', 'watcher');
  for (const w of [w1, w2]) t.equal(w.joined.broadcaster, bj.id, 'joined names the live broadcaster on another node');

  for (const w of [w1, w2]) {
    w.peer.send({ type: 'getBroadcast', to: bj.id });
    t.equal((await until(bc, 'getBroadcast', (m) => m.from === w.joined.id)).from, w.joined.id);
    bc.send({ type: 'offer', to: w.joined.id, sdp: sdpFor('offer', w.joined.id) });
    for (let i = 0; i < 5; i++) bc.send({ type: 'iceOfferCandidate', to: w.joined.id, candidate: candidateFor(`${w.joined.id}-${i}`) });
    const offer = await w.peer.next('offer');
    t.equal(offer.sdp, sdpFor('offer', w.joined.id), 'the offer meant for it');
    const candidates = [];
    for (let i = 0; i < 5; i++) candidates.push((await w.peer.next('iceOfferCandidate')).candidate.candidate);
    t.same(candidates, [0, 1, 2, 3, 4].map((i) => candidateFor(`${w.joined.id}-${i}`).candidate), 'candidates in order');
    w.peer.send({ type: 'answer', to: bj.id, sdp: sdpFor('answer', w.joined.id) });
    t.equal((await until(bc, 'answer', (m) => m.from === w.joined.id)).sdp, sdpFor('answer', w.joined.id));
  }

  await viewerCount(bc, 2);
  await viewerCount(w1.peer, 2);
  await viewerCount(w2.peer, 2);
  t.pass('everyone hears the cluster viewer count');

  w1.peer.send({ type: 'chat', text: 'hello from node b' });
  for (const p of [bc, w1.peer, w2.peer]) t.equal((await until(p, 'chat')).text, 'hello from node b');
  bc.send({ type: 'chatSettings', enabled: false });
  await until(w2.peer, 'chatSettings');
  w2.peer.send({ type: 'chat', text: 'too late' });
  t.match(await until(w2.peer, 'error'), { code: 'chat_disabled' }, 'chat off on the other nodes too');

  const report = await rooms(c!);
  t.match(report.rooms.find((r) => r.name === 'x'), { live: true, broadcaster: true, watchers: 2, nodes: 3 });
  t.equal(report.cluster?.redis, 'up');
  const scraped = await scrape(b!.httpUrl);
  t.same(
    [value(scraped, 'onair_cluster_redis_up'), value(scraped, 'onair_cluster_rooms', { state: 'live' }), value(scraped, 'onair_cluster_watchers')],
    [1, 1, 2],
    '/metrics on any node: the cluster\'s rooms and watchers',
  );
  t.equal(value(scraped, 'onair_room_watchers', { room: 'x' }), 1, 'and its own figures');

  await w2.peer.close();
  t.equal((await until(bc, 'watcherLeft')).id, w2.joined.id, 'a watcher leaving on another node is heard');
  await bc.close();
  t.equal((await until(w1.peer, 'broadcastEnded')).id, bj.id, 'the end of the broadcast crosses');
  await w1.peer.close();
});

t.test('a watcher resumes on another node: same id, the broadcaster reaches it there, nobody hears it left', TEST_OPTIONS, async (t) => {
  const [a, b, c] = await nodes(t, 3);
  const { peer: bc, joined: bj } = await WsPeer.joined(a!.wsUrl, 'move', 'broadcaster');
  const { peer: w, joined: wj } = await WsPeer.joined(b!.wsUrl, 'move', 'watcher');
  const { token } = await w.next('resumeToken');
  await viewerCount(bc, 1);

  const moved = await WsPeer.connect(c!.wsUrl);
  moved.send({ type: 'join', room: 'move', role: 'watcher', resume: token });
  const joined = await moved.next('joined');
  t.same([joined.id, joined.resumed], [wj.id, true]);
  await expectClose(t, w, 'resumed_elsewhere', 1008);
  bc.send({ type: 'offer', to: wj.id, sdp: sdpFor('offer', wj.id) });
  t.equal((await moved.next('offer')).from, bj.id, 'the offer reaches it on its new node');
  moved.send({ type: 'answer', to: bj.id, sdp: sdpFor('answer', wj.id) });
  await until(bc, 'answer');
  t.notOk(typesOf(bc).includes('watcherLeft'), 'the broadcaster never heard it left');
  await Promise.all([bc.close(), moved.close()]);
});

t.test("the broadcaster's node dies and it never resumes: watchers on the other nodes are told the broadcast ended", TEST_OPTIONS, async (t) => {
  const a = await startServer({ REDIS_URL: redis.url }, { ...FAST, resumeGraceMs: 500 });
  t.teardown(() => a.close());
  const doomed = startScript('tests/cluster/fixtures/node.ts', [], { REDIS_URL: redis.url, ROOM: 'orphan', BROADCASTER: 'doomed-broadcaster', HEARTBEAT_MS: '100', TTL_MS: '400' });
  t.teardown(() => void doomed.kill('SIGKILL'));
  await once(doomed.stdout, 'data');
  const { peer: w, joined } = await WsPeer.joined(a.wsUrl, 'orphan', 'watcher');
  t.equal(joined.broadcaster, 'doomed-broadcaster', 'the watcher joined a room live on the other node');
  doomed.kill('SIGKILL');
  t.same(await until(w, 'broadcastEnded'), { type: 'broadcastEnded', id: 'doomed-broadcaster' });
  await w.close();
});

t.test('MAX_VIEWERS and one broadcaster per room hold across nodes', TEST_OPTIONS, async (t) => {
  const [a, b] = await nodes(t, 2, { MAX_VIEWERS: '2' });
  const { peer: bc } = await WsPeer.joined(a!.wsUrl, 'cap', 'broadcaster');
  const second = await WsPeer.connect(b!.wsUrl);
  second.send({ type: 'join', room: 'cap', role: 'broadcaster' });
  await expectClose(t, second, 'broadcaster_exists', 1008);
  const w1 = await WsPeer.joined(a!.wsUrl, 'cap', 'watcher');
  const w2 = await WsPeer.joined(b!.wsUrl, 'cap', 'watcher');
  await viewerCount(w2.peer, 2);
  const third = await WsPeer.connect(b!.wsUrl);
  third.send({ type: 'join', room: 'cap', role: 'watcher' });
  await expectClose(t, third, 'room_full', 1013);
  await Promise.all([bc.close(), w1.peer.close(), w2.peer.close()]);
});

t.test('Redis restarted mid-broadcast: local rooms carry on, the cluster heals, messages cross again', TEST_OPTIONS, async (t) => {
  const [a, b] = await nodes(t, 2);
  const { peer: bc, joined: bj } = await WsPeer.joined(a!.wsUrl, 'heal', 'broadcaster');
  const local = await WsPeer.joined(a!.wsUrl, 'heal', 'watcher');
  const remote = await WsPeer.joined(b!.wsUrl, 'heal', 'watcher');
  await viewerCount(bc, 2);

  await redis.kill();
  bc.send({ type: 'offer', to: local.joined.id, sdp: sdpFor('offer', local.joined.id) });
  t.equal((await local.peer.next('offer')).from, bj.id, 'a peer on the same node is served while Redis is down');

  await redis.restart();
  // Once both nodes have rewritten what they hold, the room is whole again in Redis.
  for (;;) {
    const room = (await rooms(b!)).rooms.find((r) => r.name === 'heal');
    if (room?.watchers === 2 && room.live === false && room.broadcaster) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  bc.send({ type: 'offer', to: remote.joined.id, sdp: sdpFor('offer', remote.joined.id) });
  t.equal((await remote.peer.next('offer')).from, bj.id, 'messages cross nodes again');
  await Promise.all([bc.close(), local.peer.close(), remote.peer.close()]);
});

t.test('a node started while Redis is unreachable serves its own rooms, and joins the cluster when Redis comes', TEST_OPTIONS, async (t) => {
  await redis.kill();
  const [a] = await nodes(t, 1);
  const { peer: bc, joined: bj } = await WsPeer.joined(a!.wsUrl, 'early', 'broadcaster');
  const w = await WsPeer.joined(a!.wsUrl, 'early', 'watcher');
  bc.send({ type: 'offer', to: w.joined.id, sdp: sdpFor('offer', w.joined.id) });
  t.equal((await w.peer.next('offer')).from, bj.id, 'served without Redis');
  t.equal((await rooms(a!)).cluster?.redis, 'down', '/api/rooms says Redis is down');

  await redis.restart();
  const [b] = await nodes(t, 1);
  const late = await WsPeer.joined(b!.wsUrl, 'early', 'watcher');
  // Each node counts the other's watcher once it has rewritten what it holds into the new Redis and read it back.
  await viewerCount(late.peer, 2);
  await viewerCount(bc, 2);
  bc.send({ type: 'offer', to: late.joined.id, sdp: sdpFor('offer', late.joined.id) });
  t.equal((await late.peer.next('offer')).from, bj.id, 'a watcher on another node is reached once Redis is there');
  await Promise.all([bc.close(), w.peer.close(), late.peer.close()]);
});
