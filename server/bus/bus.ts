/**
 * The bus: how the relay's handlers deliver a server message to peers, without knowing where those peers are
 * connected. Handlers name a room and, for one peer, its server-assigned id; the bus finds the sockets.
 *
 * Implementations: {@link LocalBus} (`local-bus.ts`), every peer in this process. A second node adds a Redis
 * implementation beside it (publish to the room's channel, each node delivers to the peers it holds) without touching
 * a handler. Delivery is fire-and-forget: whether a peer belongs to a room, and may be addressed by the sender, is the
 * room's to say (see `server/media/mesh.ts`), never the bus's.
 */
import type { ServerMessage } from '../../protocol/messages.ts';

/** Where handlers send: one peer, a room's broadcaster, its watchers, or everyone in it. */
export interface Bus {
  /** Send `message` to the peer `peerId` of room `room`; nothing happens if it is not there (any more). */
  toPeer(room: string, peerId: string, message: ServerMessage): void;
  /** Send `message` to the broadcaster of room `room`, if it has one. */
  toBroadcaster(room: string, message: ServerMessage): void;
  /** Send `message` to every watcher of room `room` (serialized once). */
  toWatchers(room: string, message: ServerMessage): void;
  /** Send `message` to the broadcaster and every watcher of room `room` (serialized once). */
  toRoom(room: string, message: ServerMessage): void;
}

/** One connected peer as the bus sees it: an id and a way to write an already serialized frame to its socket. */
export interface Sink {
  readonly id: string;
  /** Write one JSON text frame; a closed socket is skipped. */
  sendRaw(frame: string): void;
}

/** The peers of one room that this process holds. */
export interface RoomMembers {
  readonly broadcasterSink: Sink | null;
  watcherSink(id: string): Sink | undefined;
  watcherSinks(): Iterable<Sink>;
}

/** Where a bus finds the peers of a room in this process (the relay's `Rooms`). */
export interface PeerDirectory {
  get(room: string): RoomMembers | undefined;
}
