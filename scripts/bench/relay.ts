/**
 * Relay throughput: ICE-candidate-sized messages relayed per second of server CPU time, and their round-trip time,
 * for OnAir's relay and for the plain `ws` relay (the floor of this stack) in the same run. The server is pinned to
 * core 0 and the load generator (relay-load.ts) to core 1 with `taskset` when there are two cores or more.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { distribution, type Distribution } from '../simulate/percentiles.ts';
import { startServerProcess, type ServerKind } from './server-process.ts';

const LOAD = fileURLToPath(new URL('./relay-load.ts', import.meta.url));

export interface RelayRun {
  server: ServerKind;
  /** Messages relayed (each round trip is two) and the load's wall time, in ms. */
  messages: number;
  wallMs: number;
  /** The server's CPU time over the load, in ms. */
  serverCpuMs: number;
  /** Messages relayed per second of server CPU time, and per second of wall time. */
  perCpuSecond: number;
  perSecond: number;
  /** Round trip watcher → broadcaster → watcher, in ms. */
  rttMs: Distribution | null;
}

export interface RelayResult {
  pinned: boolean;
  pairs: number;
  window: number;
  runs: RelayRun[];
  /** OnAir ÷ plain `ws`, messages per server CPU-second (target ≥ 0.9). */
  ratio: number | null;
}

/** Where the load goes: broadcasters join `wsUrl`, watchers `watcherWsUrl` (another node) or the same. */
export interface LoadTarget {
  wsUrl: string;
  watcherWsUrl?: string;
  /** CPU time of everything serving the load so far, in ms. */
  cpuMs(): number;
}

/** What one load run measured: messages relayed, wall time and serving CPU time (ms), round-trip times (ms). */
export interface LoadRun {
  messages: number;
  wallMs: number;
  cpuMs: number;
  rttMs: number[];
}

/** Run the load generator (relay-load.ts) against `target` for `durationMs`, on core 1 when `pinned`. */
export async function runLoad(target: LoadTarget, pinned: boolean, pairs: number, window: number, durationMs: number): Promise<LoadRun> {
  const args = JSON.stringify({ wsUrl: target.wsUrl, watcherWsUrl: target.watcherWsUrl, pairs, window, durationMs });
  const node = [process.execPath, '--import=tsx', LOAD, args];
  const [command, ...rest] = pinned ? ['/usr/bin/taskset', '-c', '1', ...node] : node;
  const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let cpuAtStart = 0;
    child.on('message', (message: { ready?: boolean; messages?: number; wallMs?: number; rttMs?: number[] }) => {
      if (message.ready) {
        cpuAtStart = target.cpuMs();
        child.send('go');
      } else {
        resolve({ messages: message.messages!, wallMs: message.wallMs!, rttMs: message.rttMs!, cpuMs: target.cpuMs() - cpuAtStart });
      }
    });
    child.on('exit', (code) => reject(new Error(`the relay load generator exited (${code}) before reporting`)));
    child.on('error', reject);
  });
}

/** A measured load run as the report shows it. */
export function relayRun(server: ServerKind, result: LoadRun): RelayRun {
  return {
    server,
    messages: result.messages,
    wallMs: result.wallMs,
    serverCpuMs: result.cpuMs,
    perCpuSecond: result.cpuMs > 0 ? result.messages / (result.cpuMs / 1000) : 0,
    perSecond: result.messages / (result.wallMs / 1000),
    rttMs: distribution(result.rttMs),
  };
}

/** Run the load generator against one server; resolves with the measured run. */
async function measure(kind: ServerKind, pinned: boolean, pairs: number, window: number, durationMs: number, env: Record<string, string>): Promise<RelayRun> {
  const server = await startServerProcess(kind, { core: pinned ? 0 : undefined, env });
  try {
    return relayRun(kind, await runLoad({ wsUrl: server.wsUrl, cpuMs: () => server.cpuMs() }, pinned, pairs, window, durationMs));
  } finally {
    await server.close();
  }
}

/**
 * Measure both relays, plain `ws` first, `rounds` times each, alternating; the report keeps every run and the ratio
 * of the medians.
 *
 * @param opts `durationMs` of load per run, `rounds`, `env` for OnAir's server
 */
export async function benchRelay(opts: { durationMs: number; rounds: number; env: Record<string, string> }): Promise<RelayResult> {
  const pinned = availableParallelism() >= 2;
  const pairs = 8;
  const window = 4;
  const runs: RelayRun[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    for (const kind of ['plain', 'onair'] as const) runs.push(await measure(kind, pinned, pairs, window, opts.durationMs, opts.env));
  }
  const median = (kind: ServerKind) => {
    const values = runs.filter((r) => r.server === kind).map((r) => r.perCpuSecond).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  const plain = median('plain');
  return { pinned, pairs, window, runs, ratio: plain > 0 ? median('onair') / plain : null };
}
