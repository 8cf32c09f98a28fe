import t from 'tap';
import { ConnectionLimit } from '../../server/signaling/connection-limit.ts';

t.test('per-address cap; releasing twice counts once', async (t) => {
  const limit = new ConnectionLimit(2);
  const a = limit.acquire('198.51.100.1');
  const b = limit.acquire('198.51.100.1');
  t.ok(a && b);
  t.equal(limit.acquire('198.51.100.1'), null, 'the third is refused');
  t.ok(limit.acquire('198.51.100.2'), 'another address has its own count');
  a!();
  a!();
  t.equal(limit.count('198.51.100.1'), 1);
  t.ok(limit.acquire('198.51.100.1'), 'a slot freed');
  t.equal(limit.acquire('198.51.100.1'), null);
});
