/**
 * Cross-node relay: the relay benchmark's load (relay-load.ts: ICE-candidate-sized round trips between broadcaster
 * and watcher pairs) against one OnAir node, then with every broadcaster on one node and every watcher on another,
 * the two sharing Redis, so each message crosses Redis. Measured: messages per second of the serving CPU time (one
 * node; or both nodes and Redis), their ratio, and the round-trip times. Target (issue 11): the cluster relays at
 * least 0.7× a single node's messages per CPU-second; its p99 round trip is reported. Nothing is pinned: the
 * cluster has more processes than this machine has cores, so the single node is measured the same way.
 */
import { processCpuMs } from '../lib/proc.ts';
import { startRedis } from '../lib/redis-server.ts';
import { relayRun, runLoad, type RelayRun } from './relay.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

export interface ClusterRelayResult {
  pairs: number;
  window: number;
  /** One node. */
  single: RelayRun;
  /** Broadcasters on one node, watchers on another, through Redis; CPU of both nodes and Redis. */
  cluster: RelayRun;
  /** Cluster ÷ single node, messages per CPU-second (target ≥ 0.7). */
  ratio: number | null;
}

const PAIRS = 8;
const WINDOW = 4;

/** @param opts `durationMs` of load per run; `env` for the nodes */
export async function benchClusterRelay(opts: { durationMs: number; env: Record<string, string> }): Promise<ClusterRelayResult> {
  const alone = await startServerProcess('onair', { env: opts.env });
  let single: RelayRun;
  try {
    single = relayRun('onair', await runLoad({ wsUrl: alone.wsUrl, cpuMs: () => alone.cpuMs() }, false, PAIRS, WINDOW, opts.durationMs));
  } finally {
    await alone.close();
  }

  const redis = await startRedis();
  const nodes: ServerProcess[] = [];
  try {
    const env = { ...opts.env, REDIS_URL: redis.url, RESUME_SECRET: 'bench-resume-secret-0123456789abcdef' };
    for (let i = 0; i < 2; i++) nodes.push(await startServerProcess('onair', { env }));
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const cpuMs = () => a.cpuMs() + b.cpuMs() + (processCpuMs(redis.pid() ?? 0) ?? 0);
    const cluster = relayRun('onair', await runLoad({ wsUrl: a.wsUrl, watcherWsUrl: b.wsUrl, cpuMs }, false, PAIRS, WINDOW, opts.durationMs));
    return { pairs: PAIRS, window: WINDOW, single, cluster, ratio: single.perCpuSecond > 0 ? cluster.perCpuSecond / single.perCpuSecond : null };
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.stop();
  }
}
