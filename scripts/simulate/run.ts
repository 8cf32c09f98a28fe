/**
 * A whole simulation: start every watcher at once, wait for all of them, and summarize, measuring the simulator's
 * own CPU and memory meanwhile. This is what `npm run simulate` and the end-to-end test call.
 */
import { setMaxListeners } from 'node:events';
import type { SimulateOptions } from './options.ts';
import { startResourceMeter } from './resources.ts';
import { summarize, type Summary } from './summary.ts';
import { runWatcher, type WatcherHooks, type WatcherResult } from './watcher.ts';

/** Progress callbacks for the whole run. */
export interface RunHooks extends WatcherHooks {
  /** A watcher is done (connected and received, or failed). */
  finished?(result: WatcherResult): void;
}

/**
 * Run `options.watchers` simulated watchers against one relay and room.
 *
 * node-datachannel keeps native threads alive until `cleanupNodeDataChannel()` (from `native.ts`) is called: the
 * caller calls it once it is done with WebRTC in this process (the CLI does just before exiting).
 *
 * @param options what to simulate (see {@link SimulateOptions}; `json` is ignored here)
 * @param hooks   progress callbacks
 * @param signal  stops the run early (watchers still connecting fail with `aborted`; receiving ones report what they got)
 * @returns the summary; failures are in it, never thrown
 */
export async function simulate(options: Omit<SimulateOptions, 'json'>, hooks: RunHooks = {}, signal?: AbortSignal): Promise<Summary> {
  const meter = startResourceMeter();
  // One signal for every watcher, each listening a few times: lift the 10-listener warning on our own copy.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const forward = () => stop.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const results = await Promise.all(
    Array.from({ length: options.watchers }, async (_, index) => {
      const result = await runWatcher(
        {
          index,
          relayUrl: options.relayUrl,
          room: options.room,
          durationMs: options.durationMs,
          timeoutMs: options.timeoutMs,
          bindAddress: options.bindAddress,
          rembBitrate: options.rembBitrate,
        },
        hooks,
        stop.signal,
      );
      hooks.finished?.(result);
      return result;
    }),
  );
  signal?.removeEventListener('abort', forward);
  return summarize(results, {
    relayUrl: options.relayUrl,
    room: options.room,
    durationMs: options.durationMs,
    process: meter.stop(),
  });
}
