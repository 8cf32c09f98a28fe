/**
 * Join storm across a cluster: `watchers` signalling-only watchers join one room within one second, spread evenly
 * over three OnAir nodes sharing one Redis (`REDIS_URL`), each asking the built-in simulated broadcaster (on the first
 * node) for the broadcast and answering its offer, so most offers and answers cross Redis. Measured as the single-node
 * join storm is: the time from the first join until every watcher has answered, and whether any was lost; plus the
 * cluster's CPU (three nodes and Redis). Target (issue 11): 3,000 watchers over 3 nodes all answered within 3 s, none
 * lost.
 */
import { processCpuMs } from '../lib/proc.ts';
import { startRedis } from '../lib/redis-server.ts';
import { startSimBroadcaster } from '../simulate/sim-broadcaster.ts';
import type { Distribution } from '../simulate/percentiles.ts';
import { simulate } from '../simulate/run.ts';
import type { JoinStormResult } from './join-storm.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const NODES = 3;

/** What the single-node join storm measures, plus the cluster's CPU. */
export interface ClusterJoinStormResult
  extends Pick<JoinStormResult, 'watchers' | 'allAnsweredMs' | 'answered' | 'answersReceived' | 'lost' | 'failures' | 'offerMs'> {
  nodes: number;
  /** CPU time of the three nodes and of Redis over the storm, in ms. */
  nodesCpuMs: number;
  redisCpuMs: number;
}

/** The offer times of the node whose p99 is the worst (distributions cannot be merged from percentiles). */
function slowest(distributions: Array<Distribution | null>): Distribution | null {
  const known = distributions.filter((d): d is Distribution => d !== null);
  return known.length === 0 ? null : known.reduce((a, b) => (b.p99 > a.p99 ? b : a));
}

/** @param opts `watchers` to join within one second (spread over the nodes); `env` for every node */
export async function benchClusterJoinStorm(opts: { watchers: number; env: Record<string, string> }): Promise<ClusterJoinStormResult> {
  const redis = await startRedis();
  const nodes: ServerProcess[] = [];
  try {
    const env = { ...opts.env, REDIS_URL: redis.url, RESUME_SECRET: 'bench-resume-secret-0123456789abcdef' };
    for (let i = 0; i < NODES; i++) nodes.push(await startServerProcess('onair', { env }));
    const broadcaster = await startSimBroadcaster(nodes[0]!.wsUrl, 'storm', 10_000);
    const perNode = Math.ceil(opts.watchers / NODES);
    let lastAnsweredAt = 0;
    const cpuAtStart = nodes.map((n) => n.cpuMs());
    const redisCpu = () => processCpuMs(redis.pid() ?? 0) ?? 0;
    const redisCpuAtStart = redisCpu();
    const startedAt = performance.now();
    const summaries = await Promise.all(
      nodes.map((node) =>
        simulate(
          { relayUrl: node.wsUrl, room: 'storm', watchers: perNode, rampPerSecond: perNode, signalingOnly: true, durationMs: 1000, timeoutMs: 20_000, bindAddress: '127.0.0.1', rembBitrate: 0 },
          { connected: () => (lastAnsweredAt = performance.now()) },
        ),
      ),
    );
    const nodesCpuMs = nodes.reduce((sum, n, i) => sum + n.cpuMs() - cpuAtStart[i]!, 0);
    const redisCpuMs = redisCpu() - redisCpuAtStart;
    await broadcaster.close();
    const watchers = perNode * NODES;
    const answered = summaries.reduce((n, s) => n + s.connected, 0);
    const failures: Record<string, number> = {};
    for (const s of summaries) for (const [code, f] of Object.entries(s.failures)) failures[code] = (failures[code] ?? 0) + f.count;
    return {
      nodes: NODES,
      watchers,
      allAnsweredMs: answered === watchers ? lastAnsweredAt - startedAt : null,
      answered,
      answersReceived: broadcaster.stats.answers,
      lost: watchers - Math.min(answered, broadcaster.stats.answers),
      failures,
      offerMs: slowest(summaries.map((s) => s.timesMs.offer)),
      nodesCpuMs,
      redisCpuMs,
    };
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.stop();
  }
}
