/**
 * The registry of rooms: which rooms exist, and letting peers in and out of them. A room exists while someone is in
 * it. Telling the rest of the room that a peer came or went is the join's (`join.ts`), not the registry's.
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import type { Role } from '../../protocol/messages.ts';
import type { PeerDirectory } from '../bus/bus.ts';
import { roomIsFull } from './capacity.ts';
import type { Elsewhere } from './elsewhere.ts';
import type { Peer } from './peer.ts';
import { Room, type Removal, type RoomSnapshot } from './room.ts';

export class Rooms implements PeerDirectory {
  private readonly rooms = new Map<string, Room>();

  /**
   * @param maxViewers the most watchers per room (`MAX_VIEWERS`, across the cluster); 0 means no limit
   * @param elsewhere  the other nodes of a cluster, if any (see `elsewhere.ts`)
   * @param takeover   a broadcaster may join a room whose broadcaster is on another node (`BROADCASTER_TAKEOVER`)
   */
  constructor(
    private readonly maxViewers = 0,
    private readonly elsewhere: Elsewhere | null = null,
    private readonly takeover = false,
  ) {}

  /**
   * Get ready for a peer to join room `name`: with other nodes, learn whom they hold there first (once per room,
   * resolves at once after). Call before {@link admit}.
   */
  async prepare(name: string): Promise<void> {
    if (!this.ready(name)) await this.elsewhere?.enter(name);
  }

  /** True when a peer may join room `name` without {@link prepare} (always with one node). */
  ready(name: string): boolean {
    return this.elsewhere === null || this.rooms.has(name) || this.elsewhere.members(name) !== undefined;
  }

  /** Every peer this node holds. */
  *peers(): IterableIterator<Peer> {
    for (const room of this.rooms.values()) yield* room.localPeers();
  }

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
    const room = this.rooms.get(name) ?? new Room(name, this.elsewhere);
    if (role === 'broadcaster' && room.broadcaster) return 'broadcaster_exists';
    // A broadcaster held by another node: refused, unless it is this very peer resuming here, or takeover is on.
    const remote = role === 'broadcaster' && !room.broadcaster ? room.broadcasterId : null;
    if (remote !== null && remote !== peer.id && !this.takeover) return 'broadcaster_exists';
    // A watcher resuming here from another node is counted there still: it takes no new place.
    if (role === 'watcher' && !room.hasWatcher(peer.id) && roomIsFull(room, this.maxViewers)) return 'room_full';
    this.rooms.set(name, room);
    room.admit(peer, role);
    peer.joined(role, name);
    this.elsewhere?.joined(name, peer.id, role, false);
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
    this.elsewhere?.left(room.name, peer.id);
    if (room.empty) {
      this.rooms.delete(room.name);
      this.elsewhere?.emptied(room.name);
    }
    return { room, removal };
  }
}
