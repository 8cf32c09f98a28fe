import t from 'tap';
import { distribution, percentile } from '../../scripts/simulate/percentiles.ts';

t.test('percentile uses the nearest-rank method', async (t) => {
  const values = [35, 20, 15, 50, 40]; // sorted: 15 20 35 40 50
  t.equal(percentile(values, 5), 15);
  t.equal(percentile(values, 30), 20);
  t.equal(percentile(values, 40), 20);
  t.equal(percentile(values, 50), 35);
  t.equal(percentile(values, 95), 50);
  t.equal(percentile(values, 100), 50);
  t.equal(percentile(values, 0), 15, 'p0 is the minimum');
  t.same(values, [35, 20, 15, 50, 40], 'the input is not sorted in place');
});

t.test('percentile of one value, of an empty list, of a long list', async (t) => {
  t.equal(percentile([7], 50), 7);
  t.equal(percentile([], 50), null);
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
  t.equal(percentile(hundred, 50), 50);
  t.equal(percentile(hundred, 95), 95);
  t.equal(percentile(hundred, 99.5), 100);
});

t.test('percentile rejects what it cannot rank', async (t) => {
  t.throws(() => percentile([1], 101), RangeError);
  t.throws(() => percentile([1], -1), RangeError);
  t.throws(() => percentile([1], Number.NaN), RangeError);
  t.throws(() => percentile([1, Number.NaN], 50), RangeError);
  t.throws(() => percentile([Number.POSITIVE_INFINITY], 50), RangeError);
});

t.test('distribution gives min, p50, p95, p99, max and count', async (t) => {
  t.same(distribution([3, 1, 2]), { count: 3, min: 1, p50: 2, p95: 3, p99: 3, max: 3 });
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  t.same(distribution(hundred), { count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
  t.equal(distribution([]), null);
});
