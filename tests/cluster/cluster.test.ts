/**
 * The cluster's Redis side with a real Redis: membership across nodes, delivery in order, fan-out, a SIGKILLed node
 * whose peers expire, a peer that moves to another node, and a Redis restart that the nodes refill.
 */
import { once } from 'node:events';
import pino from 'pino';
import t, { type Test } from 'tap';
import { Cluster } from '../../server/cluster/cluster.ts';
import { startRedis, type TestRedis } from '../../scripts/lib/redis-server.ts';
import { startScript } from '../helpers/run-script.ts';
import { FakeLocal } from './fake-local.ts';

const FAST = { heartbeatMs: 100, ttlMs: 400, resumeGraceMs: 1000 };
const silent = pino({ level: 'silent' });

async function node(t: Test, redis: TestRedis): Promise<{ cluster: Cluster; local: FakeLocal }> {
  const cluster = new Cluster(redis.url, silent, FAST);
  const local = new FakeLocal();
  cluster.attach(local);
  t.teardown(() => cluster.close());
  await cluster.whenUp();
  return { cluster, local };
}

/** Hold and announce a peer, as a node's rooms do on a join. */
async function join(n: { cluster: Cluster; local: FakeLocal }, room: string, id: string, value: 'watcher' | 'broadcaster' | 'broadcaster live') {
  await n.cluster.enter(room);
  n.local.hold(room, id, value);
  n.cluster.announce(room, id, value);
}

let redis: TestRedis;
t.before(async () => {
  redis = await startRedis();
});
t.teardown(() => redis.stop());

t.test('a node sees the peers other nodes hold, and frames cross in order', async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  await join(a, 'r1', 'broadcaster-a', 'broadcaster live');
  const mirror = await b.cluster.enter('r1');
  t.same(mirror.broadcaster, { id: 'broadcaster-a', node: a.cluster.node, live: true }, 'read from Redis when entering');

  await join(b, 'r1', 'watcher-b', 'watcher');
  await a.local.until(() => a.cluster.mirror('r1')?.hasWatcher('watcher-b') === true);
  t.equal(a.cluster.mirror('r1')?.nodeOf('watcher-b'), b.cluster.node, 'heard on the room channel');

  for (let i = 0; i < 200; i++) a.cluster.toNode(b.cluster.node, 'r1', 'watcher-b', `frame ${i}`);
  await b.local.until(() => b.local.delivered.length === 200);
  t.same(b.local.delivered.map((d) => (d.to === 'peer' ? `${d.id} ${d.frame}` : '')), Array.from({ length: 200 }, (_, i) => `watcher-b frame ${i}`), 'all 200, in order');

  a.cluster.fanOut('r1', 'watchers', 'to the watchers');
  await b.local.until(() => b.local.delivered.length === 201);
  t.same(b.local.delivered[200], { room: 'r1', to: 'watchers', frame: 'to the watchers' });
  t.equal(a.local.delivered.length, 0, 'a node does not get its own fan-out back');

  const rooms = await a.cluster.rooms();
  t.same(rooms.find((r) => r.name === 'r1'), {
    name: 'r1', broadcaster: 'broadcaster-a', live: true, watchers: 1, nodes: { [a.cluster.node]: 1, [b.cluster.node]: 1 },
  });
});

t.test('Janus loads: each node shares its own and reads the sum of the others; a dead node\'s expire', async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  const c = await node(t, redis);
  await a.cluster.shareJanusLoads({ 'ws://j1': 3, 'ws://j2': 1 });
  await b.cluster.shareJanusLoads({ 'ws://j1': 2 });
  t.same(await c.cluster.shareJanusLoads({ 'ws://j2': 7 }), { 'ws://j1': 5, 'ws://j2': 1 }, "c hears a's and b's, summed, not its own");
  t.same(await a.cluster.shareJanusLoads({ 'ws://j1': 3, 'ws://j2': 1 }), { 'ws://j1': 2, 'ws://j2': 7 });
  await b.cluster.close();
  while ((await a.cluster.shareJanusLoads({}))['ws://j1'] !== undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  t.pass("b stopped writing: its entry expired (and a's empty one no longer counts)");
});

t.test("media events cross to the broadcaster's node, in order with frames", async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  await join(a, 'r-media', 'broadcaster-a', 'broadcaster live');
  await join(b, 'r-media', 'watcher-b', 'watcher');
  b.cluster.toNode(a.cluster.node, 'r-media', 'broadcaster-a', 'before');
  b.cluster.mediaToNode(a.cluster.node, 'r-media', { op: 'signal', w: 'watcher-b', m: { type: 'getBroadcast', to: 'broadcaster-a' } });
  b.cluster.mediaToNode(a.cluster.node, 'r-media', { op: 'left', w: 'watcher-b' });
  b.cluster.toNode(a.cluster.node, 'r-media', 'broadcaster-a', 'after');
  await a.local.until(() => a.local.delivered.length === 2 && a.local.mediaEvents.length === 2);
  t.same(a.local.mediaEvents, [
    { room: 'r-media', event: { op: 'signal', w: 'watcher-b', m: { type: 'getBroadcast', to: 'broadcaster-a' } } },
    { room: 'r-media', event: { op: 'left', w: 'watcher-b' } },
  ]);
  t.same(a.local.delivered.map((d) => (d.to === 'peer' ? d.frame : '')), ['before', 'after']);
  t.equal(b.local.mediaEvents.length, 0, 'nothing comes back');
});

t.test('a peer that left is gone at once; one that moved to another node stays, and its old node is told', async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  const c = await node(t, redis);
  await join(a, 'r2', 'bc', 'broadcaster live');
  await join(b, 'r2', 'mover', 'watcher');
  await join(b, 'r2', 'leaver', 'watcher');
  await a.local.until(() => a.cluster.mirror('r2')?.watcherCount === 2);

  b.local.held.get('r2')!.delete('leaver');
  b.cluster.withdraw('r2', 'leaver');
  await a.local.until(() => a.cluster.mirror('r2')?.watcherCount === 1);
  t.notOk(a.cluster.mirror('r2')?.hasWatcher('leaver'));

  await join(c, 'r2', 'mover', 'watcher');
  await b.local.until(() => b.local.elsewhere.some((e) => e.id === 'mover'));
  await a.local.until(() => a.cluster.mirror('r2')?.nodeOf('mover') === c.cluster.node);
  // The old node's socket closes later: its "left" must not take the peer out of the room.
  b.local.held.get('r2')!.delete('mover');
  b.cluster.withdraw('r2', 'mover');
  b.cluster.announce('r2', 'marker', 'watcher');
  await a.local.until(() => a.cluster.mirror('r2')?.hasWatcher('marker') === true);
  t.equal(a.cluster.mirror('r2')?.nodeOf('mover'), c.cluster.node, 'still on its new node');
});

t.test('a SIGKILLed node leaves no ghosts: its peers expire from Redis and from the other nodes', async (t) => {
  const a = await node(t, redis);
  await join(a, 'r3', 'bc3', 'broadcaster live');
  const child = startScript('tests/cluster/fixtures/node.ts', [], { REDIS_URL: redis.url, ROOM: 'r3', WATCHER: 'doomed', HEARTBEAT_MS: '100', TTL_MS: '400' });
  t.teardown(() => void child.kill('SIGKILL'));
  await once(child.stdout, 'data');
  await a.local.until(() => a.cluster.mirror('r3')?.hasWatcher('doomed') === true);
  child.kill('SIGKILL');
  await once(child, 'exit');
  await a.local.until(() => a.cluster.mirror('r3')?.hasWatcher('doomed') === false);
  const room = (await a.cluster.rooms()).find((r) => r.name === 'r3');
  t.equal(room?.watchers, 0, 'gone from Redis too');
  t.same(Object.keys(room?.nodes ?? {}), [a.cluster.node]);
});

t.test("a SIGKILLed node's live broadcaster: after the resume grace the other nodes are told, unless it resumed", async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  // Two rooms watched from node a, each with its broadcaster on a node of its own: r5's resumes on node b after its
  // node died; r6's node dies after that (so its grace ends after r5's), and its broadcaster never comes back.
  await join(a, 'r5', 'w5', 'watcher');
  await join(a, 'r6', 'w6', 'watcher');
  const [n5, n6] = ['r5', 'r6'].map((room) => {
    const child = startScript('tests/cluster/fixtures/node.ts', [], { REDIS_URL: redis.url, ROOM: room, BROADCASTER: `bc-${room}`, HEARTBEAT_MS: '100', TTL_MS: '400' });
    t.teardown(() => void child.kill('SIGKILL'));
    return child;
  });
  await Promise.all([once(n5!.stdout, 'data'), once(n6!.stdout, 'data')]);
  await a.local.until(() => a.cluster.mirror('r5')?.broadcaster?.id === 'bc-r5' && a.cluster.mirror('r6')?.broadcaster?.id === 'bc-r6');
  n5!.kill('SIGKILL');
  await a.local.until(() => a.cluster.mirror('r5')?.broadcaster === null);
  await join(b, 'r5', 'bc-r5', 'broadcaster live');
  n6!.kill('SIGKILL');
  await a.local.until(() => a.local.vanished.length > 0);
  t.same(a.local.vanished, [{ room: 'r6', id: 'bc-r6' }], "r6's watchers are told its broadcast ended; r5's broadcaster came back in time");
  t.equal(a.cluster.mirror('r5')?.broadcaster?.node, b.cluster.node, "r5's broadcaster is on node b");
});

t.test('Redis restarted empty: the nodes reconnect by themselves and rewrite what they hold', async (t) => {
  const a = await node(t, redis);
  const b = await node(t, redis);
  await join(a, 'r4', 'bc4', 'broadcaster live');
  await join(b, 'r4', 'w4', 'watcher');
  await a.local.until(() => a.cluster.mirror('r4')?.hasWatcher('w4') === true);

  await redis.restart();
  await Promise.all([a.cluster.whenUp(), b.cluster.whenUp()]);
  // Both nodes rewrite on reconnection; the cluster's rooms come back whole.
  for (;;) {
    const room = (await a.cluster.rooms().catch(() => [])).find((r) => r.name === 'r4');
    if (room?.watchers === 1 && room.broadcaster === 'bc4') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.ok(a.cluster.mirror('r4')?.hasWatcher('w4'), 'the mirror kept the peer meanwhile');
  a.cluster.toNode(b.cluster.node, 'r4', 'w4', 'after the restart');
  await b.local.until(() => b.local.delivered.some((d) => d.frame === 'after the restart'));
  t.pass('frames cross again');
});
