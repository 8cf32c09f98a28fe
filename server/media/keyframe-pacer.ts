/**
 * Keyframe requests to an SFU publisher, paced: at most one per {@link KEYFRAME_INTERVAL_MS}, so watchers whose media
 * comes up together share one (a burst of joins must not make the broadcaster encode a keyframe per watcher), and
 * none is sent where Chromium would ignore it (it drops a request within 300 ms of the last, RFC 4585 PLI).
 */

/** The shortest time between two keyframe requests to the publisher, ms. */
export const KEYFRAME_INTERVAL_MS = 300;

export class KeyframePacer {
  #at = -Infinity;
  #timer: NodeJS.Timeout | null = null;

  /** @param now a monotonic clock, ms (tests give their own) */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Ask `publisher` for a keyframe now, or when the interval since the last one has passed (once for all asks). */
  request(publisher: { requestKeyframe(): Promise<void> }): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#at + KEYFRAME_INTERVAL_MS - this.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#at = this.now();
      void publisher.requestKeyframe().catch(() => {});
    }, wait);
  }

  /** Drop a pending request. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
