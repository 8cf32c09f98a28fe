/**
 * This node's rooms as the {@link Cluster} sees them ({@link LocalSide}): what the heartbeat rewrites, where frames
 * from other nodes are written, and what happens here when another node announces a peer this node holds.
 */
import { ChatEntry, type ServerMessage } from '../../protocol/messages.ts';
import type { Relay } from '../signaling/relay.ts';
import { leave } from '../signaling/join.ts';
import type { Delivery, LocalSide } from './cluster.ts';
import type { MediaEvent } from './media-event.ts';
import type { MemberValue, NodeRooms } from './redis-link.ts';
import type { RedisBus } from './redis-bus.ts';

/** The start of the frames that change a room's chat state (serialized by `JSON.stringify`, `type` first). */
const CHAT_FRAME = '{"type":"chat';

export class ClusterLocalSide implements LocalSide {
  /**
   * @param relay   what the relay's connections share (rooms, viewer counts)
   * @param bus     the cluster bus, for its local delivery
   * @param onMedia where media events from other nodes go (the cluster's media path); null without an SFU
   */
  constructor(
    private readonly relay: Relay,
    private readonly bus: RedisBus,
    private readonly onMedia: ((room: string, event: MediaEvent) => void) | null = null,
  ) {}

  media(room: string, event: MediaEvent): void {
    this.onMedia?.(room, event);
  }

  rooms(): NodeRooms[] {
    const byRoom = new Map<string, Array<readonly [string, MemberValue]>>();
    for (const peer of this.relay.rooms.peers()) {
      const name = peer.roomName;
      if (name === null) continue;
      let members = byRoom.get(name);
      if (!members) byRoom.set(name, (members = []));
      const value: MemberValue = peer.role === 'watcher' ? 'watcher' : this.relay.rooms.get(name)?.live ? 'broadcaster live' : 'broadcaster';
      members.push([peer.id, value]);
    }
    return [...byRoom].map(([room, members]) => ({ room, members }));
  }

  deliver(delivery: Delivery): void {
    if (delivery.to === 'peer') return this.bus.local.sendFrameTo(delivery.room, delivery.id, delivery.frame);
    // A room's chat state is kept on each node that serves the room: chat on/off and the history new joiners get.
    if (delivery.frame.startsWith(CHAT_FRAME)) this.keepChat(delivery.room, delivery.frame);
    this.bus.local.sendFrame(delivery.room, delivery.to, delivery.frame);
  }

  mirrorChanged(room: string): void {
    this.relay.viewerCounts.changed(room);
  }

  announcedElsewhere(roomName: string, id: string, value: MemberValue): void {
    const room = this.relay.rooms.get(roomName);
    if (!room) return;
    const here = room.localPeer(id);
    if (here) {
      // It resumed on another node while its old socket here still looks open.
      this.relay.rooms.remove(here);
      here.fail('resumed_elsewhere');
      return;
    }
    const broadcaster = room.broadcaster;
    if (value !== 'watcher' && broadcaster) {
      // A broadcaster took the room over on another node (BROADCASTER_TAKEOVER=takeover).
      broadcaster.fail('broadcaster_replaced');
      leave(this.relay, broadcaster);
    }
  }

  broadcasterVanished(roomName: string, id: string): void {
    const room = this.relay.rooms.get(roomName);
    if (!room || room.broadcaster) return;
    const ended: ServerMessage = { type: 'broadcastEnded', id };
    this.bus.local.sendFrame(roomName, 'watchers', JSON.stringify(ended));
  }

  private keepChat(roomName: string, frame: string): void {
    const room = this.relay.rooms.get(roomName);
    if (!room) return;
    const message: unknown = JSON.parse(frame);
    const entry = ChatEntry.safeParse(message);
    if (entry.success) return room.addChat(entry.data);
    const settings = message as { type?: string; enabled?: unknown };
    if (settings.type === 'chatSettings' && typeof settings.enabled === 'boolean') room.setChat(settings.enabled);
  }
}
