/**
 * The broadcaster's view of its SFU watchers' simulcast layers: one line per watcher through the media server, with
 * the layer it gets and why ("360p: limited by bandwidth"), from the server's `watcherLayer` messages. The audience
 * table above it shows the peer connections this page holds; these watchers have none with it.
 */
import type { Layer, ServerMessageOf } from '../../protocol/messages.ts';
import { layerText } from '../shared/layer-text.ts';

export class SfuLayerList {
  private readonly layers = new Map<string, Layer>();

  /** @param list the `<ul>` that gets one `<li>` per SFU watcher (hidden while empty) */
  constructor(private readonly list: HTMLUListElement) {
    this.render();
  }

  /** A `watcherLayer` message: the watcher's layer now, or gone from the SFU. */
  update({ id, layer }: ServerMessageOf<'watcherLayer'>): void {
    if (layer) this.layers.set(id, layer);
    else this.layers.delete(id);
    this.render();
  }

  /** A watcher left the room. */
  remove(id: string): void {
    if (this.layers.delete(id)) this.render();
  }

  /** Empty the list (the broadcast stopped, or the room is back on the mesh). */
  clear(): void {
    this.layers.clear();
    this.render();
  }

  private render(): void {
    this.list.hidden = this.layers.size === 0;
    this.list.replaceChildren(
      ...[...this.layers].map(([id, layer]) => {
        const li = document.createElement('li');
        li.dataset.watcher = id;
        li.dataset.layer = `${layer.height}p`;
        li.dataset.reason = layer.reason;
        const who = document.createElement('span');
        who.className = 'mono';
        who.textContent = id.slice(0, 6);
        li.append(who, ` ${layerText(layer)}`);
        return li;
      }),
    );
  }
}
