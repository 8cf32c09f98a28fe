/**
 * The registry of rooms: joining and leaving, and what the rest of the room is told when a peer comes or goes.
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import type { Role } from '../../protocol/messages.ts';
import { roomIsFull } from './capacity.ts';
import type { Peer } from './peer.ts';
import { Room } from './room.ts';

export class Rooms {
  private readonly rooms = new Map<string, Room>();

  /** @param maxViewers the most watchers per room (`MAX_VIEWERS`); 0 means no limit */
  constructor(private readonly maxViewers = 0) {}
  /** Every room that has someone in it. */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  /**
   * Put `peer` in room `name` with `role`. The caller then sends `joined` and, for a watcher, calls
   * `room.viewerCountChanged()`, so that the joiner hears nothing about the room before `joined`.
   *
   * @returns the room, or `broadcaster_exists` when a broadcaster joins a room that has one, or `room_full` when a
   *   watcher joins a room that has `maxViewers` watchers
   */
  join(peer: Peer, name: string, role: Role): Room | ErrorCode {
    let room = this.rooms.get(name);
    if (role === 'broadcaster' && room?.broadcaster) return 'broadcaster_exists';
    if (role === 'watcher' && room && roomIsFull(room, this.maxViewers)) return 'room_full';
    if (!room) {
      room = new Room(name);
      this.rooms.set(name, room);
    }
    peer.role = role;
    peer.room = room;
    peer.bindJoin(role, name);
    if (role === 'broadcaster') {
      room.broadcaster = peer;
      room.live = false;
    } else {
      room.watchers.set(peer.id, peer);
    }
    return room;
  }

  /** The broadcaster of room `name`, if it has one. */
  broadcasterOf(name: string): Peer | null {
    return this.rooms.get(name)?.broadcaster ?? null;
  }

  /**
   * Take `peer` out of its room (its socket closed). The broadcaster is told `watcherLeft`; when the broadcaster
   * goes, watchers are told `broadcastEnded`. Empty rooms are discarded.
   */
  leave(peer: Peer): void {
    const room = peer.room;
    if (!room) return;
    peer.room = null;
    if (room.broadcaster === peer) {
      const wasLive = room.live;
      room.broadcaster = null;
      room.live = false;
      room.delivered = null;
      if (wasLive) room.toWatchers({ type: 'broadcastEnded', id: peer.id });
    } else if (room.watchers.delete(peer.id)) {
      room.broadcaster?.send({ type: 'watcherLeft', id: peer.id });
      room.viewerCountChanged();
    }
    if (room.empty) {
      room.dispose();
      this.rooms.delete(room.name);
    }
  }
}
