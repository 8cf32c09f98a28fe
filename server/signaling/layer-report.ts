/**
 * A watcher's `layerReport` (how its video plays, docs/protocol.md): rate-limited per watcher to
 * {@link LIMITS.layerReportsPerS} a second (burst {@link LIMITS.layerReportBurst}; over it, `layer_report_rate_limited`
 * and the report is dropped), then handed to the room's media path, which may switch the watcher's simulcast layer.
 * Nothing is relayed.
 */
import { LIMITS } from '../../protocol/messages.ts';
import type { HandlerRegistry } from './handlers.ts';
import { TokenBucket } from './rate-limit.ts';

/**
 * The `layerReport` part of the relay's handler registry, with its own rate limit (per app).
 * @param now clock in ms (monotonic by default)
 */
export function layerReportHandlers(now?: () => number): Pick<HandlerRegistry, 'layerReport'> {
  const buckets = new WeakMap<object, TokenBucket>();
  return {
    layerReport: ({ peer, room, media }, message) => {
      let bucket = buckets.get(peer);
      if (!bucket) buckets.set(peer, (bucket = new TokenBucket(LIMITS.layerReportsPerS, LIMITS.layerReportBurst, now)));
      if (!bucket.take()) {
        peer.fail('layer_report_rate_limited');
        return false;
      }
      media.layerReport?.(room, peer.id, message);
      return true;
    },
  };
}
