/**
 * node-datachannel's process-wide lifecycle. Its native threads keep the process alive until `cleanup()`, and in
 * node-datachannel 0.33 a `Track` whose JS object is garbage-collected leaves a dangling pointer in the library's
 * set of live tracks, so a later `cleanup()` closes freed memory and the process dies with SIGSEGV (reproduced with
 * `node --expose-gc`: add a track, close it, `gc()`, `cleanup()`). So every track stays referenced here until
 * {@link cleanupNodeDataChannel}.
 */
import nodeDataChannel, { type Track } from 'node-datachannel';

const retained = new Set<Track>();

/** Keep `track` referenced until {@link cleanupNodeDataChannel}; returns it. */
export function retainTrack(track: Track): Track {
  retained.add(track);
  return track;
}

/**
 * Close every node-datachannel peer connection and track, stop its threads (so the process can exit), then let the
 * retained tracks go. Call once, when the process is done with WebRTC.
 */
export function cleanupNodeDataChannel(): void {
  nodeDataChannel.cleanup();
  retained.clear();
}
