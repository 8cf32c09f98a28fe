/**
 * A simulcast layer the SFU sends a watcher, in words, for the watcher's stats overlay and the broadcaster's audience
 * panel: "720p", "360p: limited by bandwidth", "180p: small player".
 */
import type { Layer, LayerReason } from '../../protocol/messages.ts';

/** What holds a layer below the top, in words. */
const LAYER_REASONS: Record<Exclude<LayerReason, 'best'>, string> = {
  'small player': 'small player',
  hidden: 'player hidden',
  bandwidth: 'limited by bandwidth',
  loss: 'limited by packet loss',
  freezes: 'limited by freezes',
};

/** The layer the SFU sends, in words: "720p", "360p: limited by bandwidth", "180p: small player"; "–" without one. */
export function layerText(layer: Layer | null): string {
  if (!layer) return '–';
  const fps = layer.temporal < 2 ? ' (fewer frames)' : '';
  return layer.reason === 'best' ? `${layer.height}p${fps}` : `${layer.height}p${fps}: ${LAYER_REASONS[layer.reason]}`;
}
