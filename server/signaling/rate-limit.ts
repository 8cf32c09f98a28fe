/**
 * Per-connection message budgets: a token bucket (tokens refill continuously at `ratePerS` up to `capacity`; each
 * message takes one). Our own few lines rather than a library: the budget of a broadcaster changes with its audience
 * while it runs, and a join must add to it at once, which the well-kept limiters (`limiter`, `rate-limiter-flexible`)
 * do not do without async calls or a keyed store per message.
 */

/** A token bucket. Time comes from `now()` in ms (monotonic by default). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerS tokens added per second
   * @param capacity the most tokens it holds (the burst); it starts full
   * @param now      clock in ms
   */
  constructor(
    public ratePerS: number,
    public capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Take one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerS);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Add `n` tokens at once (up to the capacity). */
  credit(n: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + n);
  }
}

/** Message rates, in messages per second and messages of burst. */
export interface RateLimits {
  /** Any connection that is not a broadcaster (before join, watchers). */
  perConnection: { ratePerS: number; burst: number };
  /** A broadcaster gets this much for every watcher in its room (at least one watcher's worth). */
  perWatcher: { ratePerS: number; burst: number };
}

/**
 * Defaults (the config's `MESSAGE_RATE_PER_S` and `MESSAGE_BURST` give the same). A watcher sends `getBroadcast`, an answer and a few candidates per negotiation; a broadcaster an offer
 * and a burst of candidates per watcher, so its budget scales with its audience and a join storm of 1,000 watchers
 * still gets every offer.
 */
export const RATE_LIMITS: RateLimits = {
  perConnection: { ratePerS: 50, burst: 200 },
  perWatcher: { ratePerS: 50, burst: 200 },
};

/**
 * The budget of one connection. `audience()` gives the number of watchers the connection broadcasts to, or null when
 * it is not a broadcaster; each new watcher adds its burst at once and its rate from then on.
 */
export class MessageBudget {
  private readonly bucket: TokenBucket;
  private lastAudience = 0;

  constructor(
    private readonly audience: () => number | null,
    private readonly limits: RateLimits = RATE_LIMITS,
    now?: () => number,
  ) {
    this.bucket = new TokenBucket(limits.perConnection.ratePerS, limits.perConnection.burst, now);
  }

  /** Spend one message; false when the connection is over its budget. */
  take(): boolean {
    const watchers = this.audience();
    if (watchers !== null) {
      const scale = Math.max(1, watchers);
      this.bucket.ratePerS = this.limits.perWatcher.ratePerS * scale;
      this.bucket.capacity = Math.max(this.limits.perConnection.burst, this.limits.perWatcher.burst * scale);
      if (watchers > this.lastAudience) this.bucket.credit((watchers - this.lastAudience) * this.limits.perWatcher.burst);
      this.lastAudience = watchers;
    }
    return this.bucket.take();
  }
}
