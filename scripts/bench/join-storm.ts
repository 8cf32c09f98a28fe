/**
 * Join storm: `watchers` signalling-only watchers join one room within one second (an even join rate), each asking
 * the built-in simulated broadcaster for the broadcast and answering its offer. Measured: the time from the first
 * join until every watcher has its offer and has answered, and whether any was lost (every watcher answered, and
 * the broadcaster received every answer). Target: all within 2 s, none lost.
 */
import { startSimBroadcaster } from '../simulate/sim-broadcaster.ts';
import type { Distribution } from '../simulate/percentiles.ts';
import { simulate } from '../simulate/run.ts';
import { startServerProcess } from './server-process.ts';

export interface JoinStormResult {
  watchers: number;
  /** From the first join to the last answer sent, in ms (null when some never answered). */
  allAnsweredMs: number | null;
  /** Watchers that answered, and answers the broadcaster received. */
  answered: number;
  answersReceived: number;
  lost: number;
  failures: Record<string, number>;
  /** Per watcher, from `getBroadcast` to the offer, in ms. */
  offerMs: Distribution | null;
  /** The server's CPU time over the storm, in ms, and its RSS at the end, in MiB. */
  serverCpuMs: number;
  serverRssMiB: number;
  /** The load generator's CPU, in % of one core, over the storm. */
  generatorCpuPercent: number;
}

/**
 * @param opts `watchers` to join within one second; `env` for the server
 */
export async function benchJoinStorm(opts: { watchers: number; env: Record<string, string> }): Promise<JoinStormResult> {
  const server = await startServerProcess('onair', { env: opts.env });
  try {
    const broadcaster = await startSimBroadcaster(server.wsUrl, 'storm', 10_000);
    let lastAnsweredAt = 0;
    const cpuAtStart = server.cpuMs();
    const startedAt = performance.now();
    const summary = await simulate(
      {
        relayUrl: server.wsUrl,
        room: 'storm',
        watchers: opts.watchers,
        rampPerSecond: opts.watchers,
        signalingOnly: true,
        durationMs: 1000,
        timeoutMs: 20_000,
        bindAddress: '127.0.0.1',
        rembBitrate: 0,
      },
      { connected: () => (lastAnsweredAt = performance.now()) },
    );
    const serverCpuMs = server.cpuMs() - cpuAtStart;
    await broadcaster.close();
    const failures = Object.fromEntries(Object.entries(summary.failures).map(([code, f]) => [code, f.count]));
    return {
      watchers: opts.watchers,
      allAnsweredMs: summary.connected === opts.watchers ? lastAnsweredAt - startedAt : null,
      answered: summary.connected,
      answersReceived: broadcaster.stats.answers,
      lost: opts.watchers - Math.min(summary.connected, broadcaster.stats.answers),
      failures,
      offerMs: summary.timesMs.offer,
      serverCpuMs,
      serverRssMiB: server.rssBytes() / 1024 / 1024,
      generatorCpuPercent: summary.process.cpuPercent,
    };
  } finally {
    await server.close();
  }
}
