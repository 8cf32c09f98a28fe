/**
 * A join storm across a cluster: 3,000 signalling-only watchers join one room at once, spread over three real nodes
 * sharing a real Redis; every one is answered (`joined`), and the broadcaster, on one node, ends up counting them
 * all. How fast is the bench's to say (no timing here).
 */
import t from 'tap';
import { startRedis } from '../../scripts/lib/redis-server.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { until, viewerCount } from '../signaling/helpers.ts';

const WATCHERS = 3000;

t.test(`${WATCHERS} watchers join across three nodes at once: every one is answered`, { timeout: 200_000 }, async (t) => {
  const redis = await startRedis();
  const nodes: TestServer[] = [];
  t.teardown(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.stop();
  });
  // Three nodes and 3,000 clients share this one process's event loop: the overload check (503 to new requests while
  // the loop lags) is off, so that every join is answered however slowly.
  const env = { REDIS_URL: redis.url, MAX_CONNECTIONS_PER_IP: String(WATCHERS), MAX_EVENT_LOOP_DELAY_MS: '0' };
  for (let i = 0; i < 3; i++) nodes.push(await startServer(env));
  const b = await WsPeer.joined(nodes[0]!.wsUrl, 'storm', 'broadcaster');
  b.peer.send({ type: 'broadcastAvailable' });

  const joins = await Promise.allSettled(
    Array.from({ length: WATCHERS }, async (_, i) => {
      const peer = await WsPeer.connect(nodes[i % 3]!.wsUrl);
      peer.send({ type: 'join', room: 'storm', role: 'watcher' });
      return { peer, joined: await peer.next('joined') };
    }),
  );
  const answered = joins.filter((j) => j.status === 'fulfilled').map((j) => j.value);
  const failures = new Map<string, number>();
  for (const j of joins) if (j.status === 'rejected') failures.set(String(j.reason), (failures.get(String(j.reason)) ?? 0) + 1);
  t.same(Object.fromEntries(failures), {}, 'no join failed');
  t.equal(answered.length, WATCHERS, 'every watcher got joined');
  t.equal(new Set(answered.map((a) => a.joined.id)).size, WATCHERS, 'each with its own id');
  // Told in `joined`, or (joined on a node that had not heard it was live yet) by `broadcastAvailable`.
  await Promise.all(answered.filter((a) => a.joined.broadcaster === null).map((a) => until(a.peer, 'broadcastAvailable')));
  t.pass('each is told of the live broadcaster');
  await viewerCount(b.peer, WATCHERS);
  t.pass(`the broadcaster counts all ${WATCHERS}`);
  await Promise.all([b.peer.close(), ...answered.map((a) => a.peer.close())]);
});
