/**
 * A simulated watcher's `layerReport`s (docs/protocol.md), once a second while it receives through the SFU, and the
 * `layer`s the server answers with. The figures are what the simulated watcher can know without decoding: its packet
 * loss (from RTP sequence numbers, `rtp-stats.ts`) and the height of the frames it receives; its bandwidth estimate
 * and player height come from its {@link LayerProfile}, so `--weak` watchers report a weak link and `--small`
 * watchers a small player (a simulation of what such watchers report; their link itself is not limited).
 */
import type { Layer } from '../../protocol/messages.ts';
import type { RelayConnection } from './relay-connection.ts';
import { rates, type RtpSnapshot } from './rtp-stats.ts';

/** How often a simulated watcher reports, ms (as the watch page). */
export const REPORT_INTERVAL_MS = 1000;

/** What a simulated watcher says of its link and player. */
export interface LayerProfile {
  /** Its bandwidth estimate, kbit/s; null: none (a link with room to spare). */
  bandwidthKbps: number | null;
  /** Its player's height in device pixels. */
  displayHeight: number;
}

/** A large player on a link with room to spare. */
export const DEFAULT_PROFILE: LayerProfile = { bandwidthKbps: null, displayHeight: 1080 };

/** The layer a watcher ended with, and how many times it was switched (`layer` messages after the first). */
export interface LayerOutcome {
  layer: Layer | null;
  switches: number;
  reports: number;
}

/**
 * Start reporting over `socket`; stop with the returned function, which gives the outcome.
 *
 * @param socket   the watcher's relay connection
 * @param snapshot the watcher's video RTP counters now
 * @param height   the height of the frames it receives now (VP8 keyframes), or null
 * @param profile  its link and player
 */
export function reportLayers(socket: RelayConnection, snapshot: () => RtpSnapshot, height: () => number | null, profile: LayerProfile): () => LayerOutcome {
  const outcome: LayerOutcome = { layer: null, switches: 0, reports: 0 };
  const off = socket.on('layer', ({ substream, temporal, height: h, reason }) => {
    const before = outcome.layer;
    if (before && (before.substream !== substream || before.temporal !== temporal)) outcome.switches += 1;
    outcome.layer = { substream, temporal, height: h, reason };
  });
  let before = snapshot();
  const timer = setInterval(() => {
    const now = snapshot();
    const { lossPercent } = rates(before, now);
    before = now;
    outcome.reports += 1;
    socket.send({
      type: 'layerReport',
      lossPercent: Math.min(100, Math.round(lossPercent * 10) / 10),
      freezes: 0,
      freezeMs: 0,
      framesDropped: 0,
      jitterBufferMs: 0,
      bandwidthKbps: profile.bandwidthKbps,
      displayHeight: profile.displayHeight,
      frameHeight: height(),
    });
  }, REPORT_INTERVAL_MS);
  return () => {
    clearInterval(timer);
    off();
    return outcome;
  };
}
