/**
 * A whole simulation: start the broadcasters asked for, start the watchers (all at once or at a join rate) spread
 * over the rooms, wait for all of them, and summarize, measuring the simulator's own CPU and memory meanwhile. This
 * is what `npm run simulate`, the benchmark and the end-to-end test call.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChromiumBroadcaster, type ChromiumBroadcaster } from './chromium-broadcaster.ts';
import { DEFAULT_PROFILE, type LayerProfile } from './layer-reports.ts';
import { DEFAULTS, SMALL_PLAYER_HEIGHT, type SimulateOptions } from './options.ts';
import { pageUrlFor } from './relay-url.ts';
import { startResourceMeter } from './resources.ts';
import { startSimBroadcaster, type SimBroadcaster } from './sim-broadcaster.ts';
import { summarize, type BroadcasterInfo, type Summary } from './summary.ts';
import { runWatcher, type WatcherHooks, type WatcherResult } from './watcher.ts';

/** Progress callbacks for the whole run. */
export interface RunHooks extends WatcherHooks {
  /** A watcher is done (connected and received, or failed). */
  finished?(result: WatcherResult): void;
  /** Every second: the video bitrate received by all watchers over the last second, in kbit/s. */
  live?(kbps: number): void;
}

/** What a run needs; the flags that only shape the output are left out. Older callers may omit the new fields. */
export type RunOptions = Omit<SimulateOptions, 'json' | 'out' | 'rooms' | 'rampPerSecond' | 'signalingOnly' | 'broadcaster' | 'capture' | 'adapt' | 'weak' | 'weakKbps' | 'small'> &
  Partial<Pick<SimulateOptions, 'rooms' | 'rampPerSecond' | 'signalingOnly' | 'broadcaster' | 'capture' | 'adapt' | 'weak' | 'weakKbps' | 'small'>>;

/** The room names of a run: `room` alone, or `room-0` … `room-(k-1)`. */
export function roomNames(room: string, rooms = 1): string[] {
  return rooms <= 1 ? [room] : Array.from({ length: rooms }, (_, i) => `${room}-${i}`);
}

/**
 * Run `options.watchers` simulated watchers against one relay.
 *
 * node-datachannel keeps native threads alive until `cleanupNodeDataChannel()` (from `native.ts`) is called: the
 * caller calls it once it is done with WebRTC in this process (the CLI does just before exiting).
 *
 * @param options what to simulate (see {@link SimulateOptions})
 * @param hooks   progress callbacks
 * @param signal  stops the run early (watchers still connecting fail with `aborted`; receiving ones report what they got)
 * @returns the summary; watcher failures are in it, never thrown
 * @throws {WatcherError} when a broadcaster the run starts cannot go live (`unreachable`, `refused`, `room_full`,
 *   `broadcaster_failed`)
 */
export async function simulate(options: RunOptions, hooks: RunHooks = {}, signal?: AbortSignal): Promise<Summary> {
  const rooms = roomNames(options.room, options.rooms);
  const kind = options.broadcaster ?? 'none';
  const sims: SimBroadcaster[] = [];
  let chromium: ChromiumBroadcaster | null = null;
  try {
    if (kind === 'sim') {
      for (const room of rooms) sims.push(await startSimBroadcaster(options.relayUrl, room, options.timeoutMs));
    } else if (kind === 'chromium') {
      chromium = await startChromiumBroadcaster({
        httpUrl: pageUrlFor(options.relayUrl),
        rooms,
        capture: options.capture ?? { width: 854, height: 480, fps: 30 },
        adapt: options.adapt ?? true,
        timeoutMs: Math.max(options.timeoutMs, 30_000),
      });
    }
    const broadcasterCpuAtStart = chromium?.cpuMs() ?? 0;
    const startedAt = performance.now();
    const { results, usage } = await runWatchers(options, rooms, hooks, signal);
    const broadcaster: BroadcasterInfo = { kind };
    if (chromium) broadcaster.cpuPercent = ((chromium.cpuMs() - broadcasterCpuAtStart) / (performance.now() - startedAt)) * 100;
    if (sims.length > 0) broadcaster.sim = sims.map((b) => ({ ...b.stats }));
    return summarize(results, {
      relayUrl: options.relayUrl,
      rooms,
      signalingOnly: options.signalingOnly ?? false,
      durationMs: options.durationMs,
      process: usage,
      broadcaster,
    });
  } finally {
    await Promise.all(sims.map((b) => b.close()));
    await chromium?.close();
  }
}

/** Start the watchers at the join rate, wait for all; measures this process meanwhile. */
async function runWatchers(options: RunOptions, rooms: readonly string[], hooks: RunHooks, signal?: AbortSignal) {
  const meter = startResourceMeter();
  // One signal for every watcher, each listening a few times: lift the 10-listener warning on our own copy.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const forward = () => stop.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  let bytes = 0;
  const live = setInterval(() => {
    hooks.live?.((bytes * 8) / 1000);
    bytes = 0;
  }, 1000);
  const watcherHooks: WatcherHooks = {
    ...hooks,
    videoRtp: (n) => {
      bytes += n;
      hooks.videoRtp?.(n);
    },
  };
  const ramp = options.rampPerSecond ?? 0;
  const started = performance.now();
  try {
    const results = await Promise.all(
      Array.from({ length: options.watchers }, async (_, index) => {
        if (ramp > 0 && index > 0) {
          const wait = started + (index * 1000) / ramp - performance.now();
          if (wait > 0) await sleep(wait, undefined, { signal: stop.signal }).catch(() => {});
        }
        const result = await runWatcher(
          {
            index,
            relayUrl: options.relayUrl,
            room: rooms[index % rooms.length]!,
            durationMs: options.durationMs,
            timeoutMs: options.timeoutMs,
            bindAddress: options.bindAddress,
            rembBitrate: options.rembBitrate,
            signalingOnly: options.signalingOnly ?? false,
            profile: profileOf(options, index),
          },
          watcherHooks,
          stop.signal,
        );
        hooks.finished?.(result);
        return result;
      }),
    );
    return { results, usage: meter.stop() };
  } finally {
    clearInterval(live);
    signal?.removeEventListener('abort', forward);
  }
}

/** What watcher `index` reports of its link and player: the first `weak` a weak link, the next `small` a small player. */
export function profileOf(options: Pick<RunOptions, 'weak' | 'weakKbps' | 'small'>, index: number): LayerProfile {
  const weak = options.weak ?? 0;
  if (index < weak) return { ...DEFAULT_PROFILE, bandwidthKbps: options.weakKbps ?? DEFAULTS.weakKbps };
  if (index < weak + (options.small ?? 0)) return { ...DEFAULT_PROFILE, displayHeight: SMALL_PLAYER_HEIGHT };
  return DEFAULT_PROFILE;
}
