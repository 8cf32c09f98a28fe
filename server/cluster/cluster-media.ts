/**
 * The {@link MediaPath} of a cluster node with an SFU: a room's media belongs to the node that holds its broadcaster.
 * There, the inner path (`EscalatingMediaPath`) sees every watcher of the room, on every node, as it does on one
 * node; elsewhere, a watcher's media events that need the room's media state are forwarded to the broadcaster's node
 * ({@link MediaEvent} over its Redis channel, in order with its other frames) and applied there:
 *
 * - `watcherJoined` (a fast join), `getBroadcast` and `hangup` (the mesh's bookkeeping and the escalation decision),
 *   anything addressed to another peer than the broadcaster (the room's SFU peer, which only the broadcaster's node
 *   knows), `layerReport`, and `watcherLeft`;
 * - an answer or ICE candidate addressed to the broadcaster itself is relayed as before, straight to its node (the
 *   mesh's hot path does not take the detour).
 *
 * A refusal on the broadcaster's node (say `forbidden` for a watcher's offer to the SFU peer) reaches the watcher as
 * an `error` frame. Events for a room whose broadcaster has moved on are dropped: the watcher's page heals as after
 * any lost message (its ICE watchdog asks again).
 */
import type { LayerReportMessage, PressureReason, AddressedMessage } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import type { LayerCounts, MediaPath, MediaReport, Refusal, RoomView, Sender } from '../media/media-path.ts';
import type { MediaEvent } from './media-event.ts';

/** What this path needs of the cluster: where a room's broadcaster is, and a channel to that node. */
export interface MediaRouting {
  /** The node holding `room`'s broadcaster when another node does; null when this node does, or none is known. */
  broadcasterNode(room: string): string | null;
  /** Send `event` for `room` to `node`. */
  toNode(node: string, room: string, event: MediaEvent): void;
  /** This node's room `name` while it holds its broadcaster, else null. */
  ownedRoom(name: string): RoomView | null;
}

export class ClusterMediaPath implements MediaPath {
  /**
   * @param inner   the path of the rooms whose broadcaster this node holds
   * @param routing the cluster's side
   * @param bus     for refusals to watchers on other nodes
   */
  constructor(
    private readonly inner: MediaPath,
    private readonly routing: MediaRouting,
    private readonly bus: Bus,
  ) {}

  watcherJoined(room: RoomView, watcherId: string): void {
    const node = this.routing.broadcasterNode(room.name);
    if (node) this.routing.toNode(node, room.name, { op: 'joined', w: watcherId });
    else this.inner.watcherJoined(room, watcherId);
  }

  signal(room: RoomView, from: Sender, message: AddressedMessage): Refusal | null {
    const direct = from.role !== 'watcher' || (message.to === room.broadcasterId && message.type !== 'getBroadcast' && message.type !== 'hangup');
    const node = direct ? null : this.routing.broadcasterNode(room.name);
    if (!node) return this.inner.signal(room, from, message);
    this.routing.toNode(node, room.name, { op: 'signal', w: from.id, m: message });
    return null;
  }

  watcherLeft(room: RoomView, watcherId: string): void {
    const node = this.routing.broadcasterNode(room.name);
    if (node) this.routing.toNode(node, room.name, { op: 'left', w: watcherId });
    else this.inner.watcherLeft(room, watcherId);
  }

  broadcasterLeft(room: RoomView): void {
    this.inner.broadcasterLeft(room);
  }

  qualityLimited(room: RoomView, reason: PressureReason): void {
    this.inner.qualityLimited(room, reason);
  }

  report(name: string, watchers: number): MediaReport {
    return this.inner.report(name, watchers);
  }

  layerReport(room: RoomView, watcherId: string, report: LayerReportMessage): void {
    const node = this.routing.broadcasterNode(room.name);
    if (node) this.routing.toNode(node, room.name, { op: 'layer', w: watcherId, r: report });
    else this.inner.layerReport?.(room, watcherId, report);
  }

  layers(): LayerCounts {
    return this.inner.layers?.() ?? { watchers: new Map(), switches: { up: 0, down: 0 } };
  }

  /** Apply an event another node forwarded for `roomName` (dropped unless this node holds its broadcaster). */
  apply(roomName: string, event: MediaEvent): void {
    const room = this.routing.ownedRoom(roomName);
    if (!room) return;
    switch (event.op) {
      case 'joined':
        return this.inner.watcherJoined(room, event.w);
      case 'left':
        return this.inner.watcherLeft(room, event.w);
      case 'layer':
        return this.inner.layerReport?.(room, event.w, event.r);
      case 'signal': {
        const refusal = this.inner.signal(room, { id: event.w, role: 'watcher' }, event.m);
        if (refusal) this.bus.toPeer(roomName, event.w, { type: 'error', code: refusal.code, message: refusal.detail });
      }
    }
  }
}
