/**
 * The simulcast layers of one SFU room's watchers: the publication's ladder (how many layers, how high) and each
 * watcher's {@link LayerState}, the one owner of both. {@link SfuRoom} feeds it the watchers' `layerReport`s and
 * applies what it returns; the choice itself is the pure policy's (`layer-policy.ts`).
 *
 * The ladder: the number of layers from the publisher's SDP offer (the rids of `a=simulcast:send`, RFC 8853 §5.1),
 * the top layer's height first assumed from it (Chromium sends 3 layers from 720p, 2 at 480p) and then learned from
 * what watchers decode on the lowest layer: a watcher settled on substream 0 of `n` decoding `h`-px frames means a
 * top layer of `h × 2^(n-1)` (each layer half the one above, the broadcaster's `scaleResolutionDownBy`). Only the
 * lowest layer tells: on a higher one, Janus sends the best layer below it while the publisher is not sending it (as
 * at the start, while its bandwidth estimate ramps up), so the height seen is not that layer's.
 */
import type { Layer, LayerReportMessage } from '../../protocol/messages.ts';
import { initialLayerState, ladderOf, nextLayerState, SETTLE_MS, type Ladder, type LayerState } from './layer-policy.ts';

/** The number of simulcast layers an SDP offer sends: the rids of its `a=simulcast:send` line (1 without one). */
export function simulcastLayers(sdp: string): number {
  const line = /^a=simulcast:\s*send\s+(\S+)/m.exec(sdp)?.[1];
  if (!line) return 1;
  return Math.max(1, Math.min(3, line.split(';').length));
}

/** The label of a layer of `height` px in `/metrics` and on the pages: `360p`. */
export function layerLabel(height: number): string {
  return `${height}p`;
}

/** A change of one watcher's layer: what it gets now, and whether that is up or down from before. */
export interface LayerChange {
  layer: Layer;
  direction: 'up' | 'down' | null;
}

export class WatcherLayers {
  #layers = 1;
  #topHeight = 720;
  #ladder: Ladder = ladderOf(1, 720);
  readonly #states = new Map<string, LayerState>();

  /** The publication's offer: its number of simulcast layers. */
  publication(offerSdp: string): void {
    this.#layers = simulcastLayers(offerSdp);
    this.#topHeight = this.#layers === 2 ? 480 : 720;
    this.#ladder = ladderOf(this.#layers, this.#topHeight);
  }

  /**
   * One report of watcher `id`, at `now` (ms, monotonic).
   * @returns the layer to tell, when it is the watcher's first report or its layer changed; else null. `direction`
   *   is null when the layer to apply is the same (the first report keeping the top layer, or only the reason changed)
   */
  report(id: string, report: LayerReportMessage, now: number): LayerChange | null {
    const before = this.#states.get(id);
    if (before) this.#learn(before, report.frameHeight, now);
    // A watcher is subscribed at the top level (initialLayerState's): its first choice is a change from there.
    const from = before ?? initialLayerState(this.#ladder, now);
    const state = nextLayerState(from, report, this.#ladder, now);
    this.#states.set(id, state);
    const { substream, temporal, height, reason } = state.choice;
    const layer: Layer = { substream, temporal, height, reason };
    const old = from.choice;
    const moved = old.substream !== substream || old.temporal !== temporal;
    if (before && !moved && old.reason === reason && old.height === height) return null;
    const up = substream > old.substream || (substream === old.substream && temporal > old.temporal);
    return { layer, direction: moved ? (up ? 'up' : 'down') : null };
  }

  /** Watcher `id` left the SFU. */
  remove(id: string): boolean {
    return this.#states.delete(id);
  }

  /** Add this room's watchers per layer label to `into` (`unknown` for those without a report yet, from `watchers`). */
  count(into: Map<string, number>, watchers: Iterable<string>): void {
    for (const id of watchers) {
      const state = this.#states.get(id);
      const label = state ? layerLabel(state.choice.height) : 'unknown';
      into.set(label, (into.get(label) ?? 0) + 1);
    }
  }

  /** Learn the top layer's height from a watcher settled on the lowest layer (see the file's comment). */
  #learn(state: LayerState, frameHeight: number | null, now: number): void {
    if (!frameHeight || state.choice.substream !== 0 || now - state.changedAt < SETTLE_MS) return;
    const top = frameHeight * 2 ** (this.#layers - 1);
    if (top === this.#topHeight) return;
    this.#topHeight = top;
    this.#ladder = ladderOf(this.#layers, top);
  }
}
