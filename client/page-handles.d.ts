/**
 * `window.onair`: the read-only handle each page gives diagnostics, the end-to-end tests and the benchmark. Each page
 * sets its own; this file says what each one holds.
 */
import type { Layer } from '../protocol/messages.ts';
import type { AdaptationSnapshot } from './broadcast/adaptation-loop.ts';
import type { Timings } from './watch/timings.ts';
import type { PathEvent } from './watch/viewer.ts';

/** The broadcaster page's handle (`client/broadcast/main.ts`). */
export interface BroadcastPageHandle {
  /** The open peer connections: one per watcher on the mesh, and the upload to the SFU when the room escalated. */
  peerConnections(): RTCPeerConnection[];
  /** The tracks being sent. */
  stream(): MediaStream;
  /** The adaptation's state; null when it is off (`?adapt=off`). */
  adaptation(): AdaptationSnapshot | null;
  /** Restart ICE on every watcher's connection, as a network change would. */
  restartIce(): Promise<void>;
}

/** The watch page's handle (`client/watch/main.ts`). */
export interface WatchPageHandle {
  /** The peer connection to the broadcaster, or null before the offer. */
  peerConnection(): RTCPeerConnection | null;
  /** The join's milestones, ms since navigation start. */
  timings(): Timings;
  /** Whether the picture shown comes through the media server (SFU). */
  viaMediaServer(): boolean;
  /** Each connection's first decoded frame and its close, in order (make-before-break). */
  pathEvents(): PathEvent[];
  /** The simulcast layer the SFU sends now, and why (from the server's `layer`); null when not through the SFU. */
  layer(): Layer | null;
}

declare global {
  interface Window {
    onair: BroadcastPageHandle | WatchPageHandle;
  }
}
