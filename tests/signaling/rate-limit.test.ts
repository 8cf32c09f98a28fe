import t from 'tap';
import { MessageBudget, RATE_LIMITS, TokenBucket } from '../../server/signaling/rate-limit.ts';

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
