import t from 'tap';
import { ChatRateLimit } from '../../server/chat/rate-limit.ts';
import { LIMITS } from '../../protocol/messages.ts';

t.test('a burst per sender, then refused; each sender has its own bucket', async (t) => {
  const limit = new ChatRateLimit();
  const a = {};
  const b = {};
  for (let i = 0; i < LIMITS.chatBurst; i++) t.ok(limit.take(a), `message ${i + 1}`);
  t.notOk(limit.take(a), 'over the burst');
  t.ok(limit.take(b), 'another sender is not affected');
  t.ok(new ChatRateLimit().take(a), 'each limit (one per app) keeps its own buckets');
});

t.test(`then ${LIMITS.chatPerMinute} messages a minute: one more each ${60 / LIMITS.chatPerMinute} s`, async (t) => {
  let now = 0;
  const limit = new ChatRateLimit(() => now);
  const sender = {};
  for (let i = 0; i < LIMITS.chatBurst; i++) limit.take(sender);
  const gapMs = 60_000 / LIMITS.chatPerMinute;
  now += gapMs * 0.9;
  t.notOk(limit.take(sender), 'not before the gap');
  now += gapMs * 0.2;
  t.ok(limit.take(sender), 'one once the gap is past');
  t.notOk(limit.take(sender), 'and only one');
});
