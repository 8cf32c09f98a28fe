/**
 * What a broadcaster delivers to its watchers, from the per-watcher `getStats()` figures its page reports in
 * `stats` messages: the peer-to-peer media made observable on the server (`/metrics`, `/api/rooms`). The room keeps
 * the latest summary (`Room.recordDelivery`); `ops/` reads it.
 */
import type { WatcherStats } from '../../protocol/messages.ts';

/** One room's delivery, summed over the watchers the broadcaster reported as connected. */
export interface Delivered {
  /** Watchers whose peer connection is `connected`. */
  connected: number;
  /** Total outgoing video bitrate to them, kbit/s. */
  bitrateKbps: number;
  /** Mean frame rate sent to them, frames/s (0 when none is connected). */
  fps: number;
  /** Connected watchers by the local candidate type of their selected pair (host / srflx / prflx / relay). */
  candidateTypes: Record<NonNullable<WatcherStats['candidateType']>, number>;
  /** When the report arrived, ms since the Unix epoch. */
  at: number;
}

/** Summarize one `stats` report. */
export function summarize(watchers: readonly WatcherStats[], at: number = Date.now()): Delivered {
  const connected = watchers.filter((w) => w.state === 'connected');
  const candidateTypes = { host: 0, srflx: 0, prflx: 0, relay: 0 };
  for (const w of connected) if (w.candidateType) candidateTypes[w.candidateType]++;
  const bitrateKbps = connected.reduce((sum, w) => sum + w.bitrateKbps, 0);
  const fps = connected.length ? connected.reduce((sum, w) => sum + w.fps, 0) / connected.length : 0;
  return { connected: connected.length, bitrateKbps, fps, candidateTypes, at };
}
