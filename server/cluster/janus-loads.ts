/**
 * Nodes that share Janus instances (the same `JANUS_URLS`) share their load on them: every heartbeat, this node
 * writes its subscriptions per instance to Redis (with the membership TTL, so a dead node's load expires) and reads
 * the others', which the pool adds to each instance's load ({@link JanusPool.setElsewhere}). Rooms then go to the
 * instance least loaded by the whole cluster, and `JANUS_MAX_VIEWERS` counts every node's watchers. While Redis is
 * down, the last loads heard stay.
 */
import type { JanusPool } from '../sfu/janus-pool.ts';
import type { Cluster } from './cluster.ts';

/**
 * Start sharing `pool`'s load through `cluster` every `intervalMs`.
 * @returns a function that stops it
 */
export function shareJanusLoads(cluster: Pick<Cluster, 'shareJanusLoads'>, pool: JanusPool, intervalMs: number): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      pool.setElsewhere(await cluster.shareJanusLoads(pool.localLoads()));
    } catch {
      // Redis down: keep what was last heard; the next tick tries again.
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
