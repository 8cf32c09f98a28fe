/**
 * A deadline as an `AbortSignal` that fires for certain. `AbortSignal.timeout()` holds its signal only weakly
 * (Node.js clears the timer when the signal is garbage-collected), and `AbortSignal.any()` holds its sources weakly
 * too, so `AbortSignal.any([AbortSignal.timeout(ms), ...])` can be collected before it fires and a wait on it never
 * ends — seen here as a simulated watcher waiting forever for a broadcaster under GC pressure. This one keeps a
 * strong reference through its own timer until {@link Deadline.clear}.
 */

export interface Deadline {
  /** Aborts `ms` after creation (reason: a `TimeoutError` DOMException), or when a linked signal aborts. */
  readonly signal: AbortSignal;
  /** Stop the timer (call once the work is done). */
  clear(): void;
}

/**
 * @param ms    how long until the signal aborts, in ms
 * @param links signals that abort it earlier (with their reason)
 */
export function deadline(ms: number, ...links: AbortSignal[]): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const link of links) {
    if (link.aborted) controller.abort(link.reason);
    else link.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      for (const link of links) link.removeEventListener('abort', onAbort);
    },
  };
}
