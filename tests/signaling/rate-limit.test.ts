import t from 'tap';
import { MessageBudget, RATE_LIMITS, TokenBucket } from '../../server/signaling/rate-limit.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { TEST_OPTIONS, until } from './helpers.ts';

/** A clock the test moves by hand (ms). */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const drain = (take: () => boolean, max = 1e6) => {
  let n = 0;
  while (n < max && take()) n++;
  return n;
};

t.test('token bucket: starts full, refills at its rate, never above capacity', async (t) => {
  const c = clock();
  const bucket = new TokenBucket(50, 200, c.now);
  t.equal(drain(() => bucket.take()), 200, 'the burst');
  c.advance(100);
  t.equal(drain(() => bucket.take()), 5, '50/s for 100 ms');
  c.advance(60_000);
  t.equal(drain(() => bucket.take()), 200, 'capped at the capacity');
  bucket.credit(1000);
  t.equal(drain(() => bucket.take()), 200, 'credit is capped too');
});

t.test('a watcher: 50 msg/s, burst 200', async (t) => {
  const c = clock();
  const budget = new MessageBudget(() => null, RATE_LIMITS, c.now);
  t.equal(drain(() => budget.take()), 200);
  c.advance(1000);
  t.equal(drain(() => budget.take()), 50);
});

t.test('a broadcaster: each watcher that joins adds its burst at once and its rate', async (t) => {
  const c = clock();
  let watchers = 0;
  const budget = new MessageBudget(() => watchers, RATE_LIMITS, c.now);
  t.equal(drain(() => budget.take()), 200, 'alone: one watcher\'s worth');
  watchers = 1000; // a join storm
  t.equal(drain(() => budget.take()), 200_000, 'a burst of 200 per watcher, at once');
  c.advance(1000);
  t.equal(drain(() => budget.take()), 50_000, '50/s per watcher');
  watchers = 10;
  c.advance(60_000);
  t.equal(drain(() => budget.take()), 2000, 'the capacity shrinks when watchers leave');
});

t.test('MESSAGE_RATE_PER_S and MESSAGE_BURST set the relay\'s budgets', TEST_OPTIONS, async (t) => {
  const server = await startServer({ MESSAGE_RATE_PER_S: '0.001', MESSAGE_BURST: '5' });
  t.teardown(() => server.close());
  const b = await WsPeer.joined(server.wsUrl, 'budget', 'broadcaster');
  const { peer } = await WsPeer.joined(server.wsUrl, 'budget', 'watcher');
  for (let i = 0; i < 10; i++) peer.send({ type: 'getBroadcast', to: b.joined.id });
  t.same(await peer.closed, { code: 1008, reason: 'rate_limited' });
  await until(b.peer, 'watcherLeft');
  const relayed = b.peer.received.filter((m) => m.type === 'getBroadcast').length;
  t.equal(relayed, 4, 'a burst of 5: the join and 4 messages');
  await b.peer.close();
});
