/**
 * The chat rate limit, per sender: a token bucket (`limiter`) of {@link LIMITS.chatBurst} messages refilled at
 * {@link LIMITS.chatPerMinute} per minute. Separate from any per-connection limit on all messages.
 */
import { TokenBucket } from 'limiter';
import { LIMITS } from '../protocol/messages.ts';

const buckets = new WeakMap<object, TokenBucket>();

/**
 * Take one chat message from `sender`'s allowance.
 *
 * @param sender the sending peer (any object; its bucket lives as long as it does)
 * @returns false when the sender is over the limit (the message must be refused with `chat_rate_limited`)
 */
export function takeChatToken(sender: object): boolean {
  let bucket = buckets.get(sender);
  if (!bucket) {
    bucket = new TokenBucket({ bucketSize: LIMITS.chatBurst, tokensPerInterval: LIMITS.chatPerMinute, interval: 'minute' });
    bucket.content = LIMITS.chatBurst;
    buckets.set(sender, bucket);
  }
  return bucket.tryRemoveTokens(1);
}
