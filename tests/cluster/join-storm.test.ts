/**
 * A join storm across a cluster: 3,000 signalling-only watchers join one room at once, spread over three real nodes
 * sharing a real Redis; every one is answered (`joined`), and the broadcaster, on one node, ends up counting them
 * all. How fast is the bench's to say (no timing here).
 */
import t from 'tap';
import { startRedis } from '../helpers/redis.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { viewerCount } from '../signaling/helpers.ts';

const WATCHERS = 3000;

t.test(`${WATCHERS} watchers join across three nodes at once: every one is answered`, { timeout: 200_000 }, async (t) => {
  const redis = await startRedis();
  const nodes: TestServer[] = [];
  t.teardown(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.stop();
  });
  for (let i = 0; i < 3; i++) nodes.push(await startServer({ REDIS_URL: redis.url, MAX_CONNECTIONS_PER_IP: String(WATCHERS) }));
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
  t.equal(answered.length, WATCHERS, 'every watcher got joined');
  t.equal(new Set(answered.map((a) => a.joined.id)).size, WATCHERS, 'each with its own id');
  t.equal(answered.filter((a) => a.joined.broadcaster === b.joined.id).length, WATCHERS, 'each told of the live broadcaster');
  await viewerCount(b.peer, WATCHERS);
  t.pass(`the broadcaster counts all ${WATCHERS}`);
  await Promise.all([b.peer.close(), ...answered.map((a) => a.peer.close())]);
});
