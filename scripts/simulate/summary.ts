/**
 * From the watchers' results to the run's summary: counts, failure reasons, time-to-milestone distributions (ms)
 * and received video bitrate (kbit/s). The `--json` output is this object.
 */
import type { WatcherFailureCode } from './errors.ts';
import { distribution, type Distribution } from './percentiles.ts';
import type { ResourceUsage } from './resources.ts';
import type { WatcherResult } from './watcher.ts';

export interface Summary {
  relayUrl: string;
  room: string;
  /** Watchers started. */
  watchers: number;
  joined: number;
  /** Watchers whose peer connection reached 'connected'. */
  connected: number;
  /** Watchers with a failure (some of them may have connected first). */
  failed: number;
  /** Failures by code, and one example message per code. */
  failures: Partial<Record<WatcherFailureCode, { count: number; example: string }>>;
  /** From sending `getBroadcast` to each milestone, in ms, over the watchers that reached it. */
  timesMs: {
    offer: Distribution | null;
    iceConnected: Distribution | null;
    firstRtp: Distribution | null;
  };
  /** Video RTP received over each connected watcher's window, in kbit/s; `total` is the sum over watchers. */
  /** kbit/s per watcher over its whole window, over the window's second half (steady), and the total. */
  videoKbps: { perWatcher: Distribution | null; steady: Distribution | null; total: number };
  /** The receive window asked for, in ms. */
  durationMs: number;
  /** The simulator process during the run. */
  process: ResourceUsage;
  /** One line per watcher. */
  results: WatcherResult[];
}

/** What the summary reports about the run besides the results. */
export interface RunInfo {
  relayUrl: string;
  room: string;
  durationMs: number;
  process: ResourceUsage;
}

/**
 * Summarize a run.
 *
 * @param results one per watcher, in any order
 * @param info    the run's settings and the process's resource usage
 */
export function summarize(results: readonly WatcherResult[], info: RunInfo): Summary {
  const failures: Summary['failures'] = {};
  for (const r of results) {
    if (!r.failure) continue;
    const entry = failures[r.failure.code];
    if (entry) entry.count++;
    else failures[r.failure.code] = { count: 1, example: r.failure.message };
  }
  const values = (pick: (r: WatcherResult) => number | null) =>
    results.map(pick).filter((v): v is number => v !== null);
  const kbps = values((r) => (r.connected ? r.video.kbps : null));
  return {
    relayUrl: info.relayUrl,
    room: info.room,
    watchers: results.length,
    joined: results.filter((r) => r.joined).length,
    connected: results.filter((r) => r.connected).length,
    failed: results.filter((r) => r.failure !== null).length,
    failures,
    timesMs: {
      offer: distribution(values((r) => r.timings.offerMs)),
      iceConnected: distribution(values((r) => r.timings.iceConnectedMs)),
      firstRtp: distribution(values((r) => r.timings.firstRtpMs)),
    },
    videoKbps: {
      perWatcher: distribution(kbps),
      steady: distribution(values((r) => (r.connected ? r.video.steadyKbps : null))),
      total: kbps.reduce((a, b) => a + b, 0),
    },
    durationMs: info.durationMs,
    process: info.process,
    results: [...results].sort((a, b) => a.index - b.index),
  };
}
