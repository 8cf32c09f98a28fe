/**
 * The chat rate limit, per sender: a token bucket (the relay's own {@link TokenBucket}) of {@link LIMITS.chatBurst}
 * messages refilled at {@link LIMITS.chatPerMinute} per minute. Separate from the per-connection budget on all
 * messages (`server/signaling/rate-limit.ts`).
 */
import { LIMITS } from '../../protocol/messages.ts';
import { TokenBucket } from '../signaling/rate-limit.ts';

export class ChatRateLimit {
  /** One bucket per sender, kept as long as the sender object lives. */
  private readonly buckets = new WeakMap<object, TokenBucket>();

  /** @param now clock in ms (monotonic by default) */
  constructor(private readonly now?: () => number) {}

  /**
   * Take one chat message from `sender`'s allowance.
   *
   * @param sender the sending peer (any object; its bucket lives as long as it does)
   * @returns false when the sender is over the limit (the message must be refused with `chat_rate_limited`)
   */
  take(sender: object): boolean {
    let bucket = this.buckets.get(sender);
    if (!bucket) {
      bucket = new TokenBucket(LIMITS.chatPerMinute / 60, LIMITS.chatBurst, this.now);
      this.buckets.set(sender, bucket);
    }
    return bucket.take();
  }
}
