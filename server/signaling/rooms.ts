/**
 * The registry of rooms: which rooms exist, and letting peers in and out of them. A room exists while someone is in
 * it. Telling the rest of the room that a peer came or went is the join's (`join.ts`), not the registry's.
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import type { Role } from '../../protocol/messages.ts';
import type { PeerDirectory } from '../bus/bus.ts';
import { roomIsFull } from './capacity.ts';
import type { Peer } from './peer.ts';
import { Room, type Removal, type RoomSnapshot } from './room.ts';

export class Rooms implements PeerDirectory {
  private readonly rooms = new Map<string, Room>();

  /** @param maxViewers the most watchers per room (`MAX_VIEWERS`); 0 means no limit */
  constructor(private readonly maxViewers = 0) {}

  /** The room called `name`, if someone is in it (also how the bus finds a room's peers). */
  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  /** Every room that has someone in it, as frozen snapshots (for `ops/`). */
  snapshots(): RoomSnapshot[] {
    return [...this.rooms.values()].map((room) => room.snapshot());
  }

  /**
   * Let `peer` into room `name` as `role` (the room is made if it does not exist). The caller then sends `joined`,
   * so that the joiner hears nothing about the room before it.
   *
   * @returns the room, or `broadcaster_exists` when a broadcaster joins a room that has one, or `room_full` when a
   *   watcher joins a room that has `maxViewers` watchers
   */
  admit(peer: Peer, name: string, role: Role): Room | ErrorCode {
    let room = this.rooms.get(name);
    if (role === 'broadcaster' && room?.broadcaster) return 'broadcaster_exists';
    if (role === 'watcher' && room && roomIsFull(room, this.maxViewers)) return 'room_full';
    if (!room) {
      room = new Room(name);
      this.rooms.set(name, room);
    }
    room.admit(peer, role);
    peer.joined(role, name);
    return room;
  }

  /**
   * Take `peer` out of its room (its socket closed, or another broadcaster took over). An empty room is discarded.
   * @returns the room and what happened, or null when the peer was in no room
   */
  remove(peer: Peer): { room: Room; removal: NonNullable<Removal> } | null {
    const name = peer.roomName;
    const room = name === null ? undefined : this.rooms.get(name);
    peer.left();
    const removal = room?.remove(peer) ?? null;
    if (!room || !removal) return null;
    if (room.empty) this.rooms.delete(room.name);
    return { room, removal };
  }
}
