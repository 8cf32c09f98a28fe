import t from 'tap';
import { takeChatToken } from '../../server/chat/rate-limit.ts';
import { LIMITS } from '../../protocol/messages.ts';

t.test('a burst per sender, then refused; each sender has its own bucket', async (t) => {
  const a = {};
  const b = {};
  for (let i = 0; i < LIMITS.chatBurst; i++) t.ok(takeChatToken(a), `message ${i + 1}`);
  t.notOk(takeChatToken(a), 'over the burst');
  t.ok(takeChatToken(b), 'another sender is not affected');
});
