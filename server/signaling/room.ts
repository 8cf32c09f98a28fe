/**
 * One room: at most one broadcaster and any number of watchers. Rooms are independent broadcasts; the relay only
 * ever delivers between peers of the same room.
 *
 * The room is the one owner of its state: who is in it, whether it is live, its chat and the broadcaster's latest
 * delivery report change only through the methods below, each named for what happens. Everything else (handlers, the
 * bus, `ops/`) reads it, or reads a {@link RoomSnapshot}.
 */
import type { ChatEntry, Role } from '../../protocol/messages.ts';
import type { RoomMembers, Sink } from '../bus/bus.ts';
import type { RoomView } from '../media/media-path.ts';
import type { Delivered } from './delivered.ts';
import type { Elsewhere, RemoteMembers } from './elsewhere.ts';
import type { Peer } from './peer.ts';
import { RoomChat } from './room-chat.ts';

/** A room as `ops/` reads it: a copy, frozen at the time it was taken. */
export interface RoomSnapshot {
  readonly name: string;
  /** The broadcaster has announced its media (`broadcastAvailable`). */
  readonly live: boolean;
  readonly hasBroadcaster: boolean;
  /** Watchers on this node. */
  readonly watchers: number;
  /** Watchers of the room on other nodes of the cluster (0 with one node). */
  readonly watchersElsewhere: number;
  readonly chatEnabled: boolean;
  /** The broadcaster's latest `stats` report, summarized; null before the first or after the broadcaster left. */
  readonly delivered: Delivered | null;
}

/** What {@link Room.remove} did: which role left, and whether the broadcast was live when its broadcaster left. */
export type Removal = { role: 'broadcaster'; wasLive: boolean } | { role: 'watcher' } | null;

export class Room implements RoomView, RoomMembers {
  private broadcasterPeer: Peer | null = null;
  private isLive = false;
  private readonly watcherPeers = new Map<string, Peer>();
  private readonly chat = new RoomChat();
  private lastDelivered: Delivered | null = null;

  /**
   * @param elsewhere the other nodes of a cluster, if any: the room's reads below then count their peers too, and
   *   going live is announced to them
   */
  constructor(
    readonly name: string,
    private readonly elsewhere: Elsewhere | null = null,
  ) {}

  // ---- Reading (the cluster's room when there are other nodes) -----------------------------------------------------

  private get remote(): RemoteMembers | undefined {
    return this.elsewhere?.members(this.name);
  }

  /** True once the broadcaster has sent `broadcastAvailable`: it has media and answers `getBroadcast`. */
  get live(): boolean {
    return this.broadcasterPeer ? this.isLive : (this.remote?.broadcaster?.live ?? false);
  }

  /** The broadcaster when this node holds it. */
  get broadcaster(): Peer | null {
    return this.broadcasterPeer;
  }

  /** The broadcaster's id, wherever it is connected. */
  get broadcasterId(): string | null {
    return this.broadcasterPeer?.id ?? this.remote?.broadcaster?.id ?? null;
  }

  /** The live broadcaster's id, or null (what `joined.broadcaster` reports). */
  get liveBroadcasterId(): string | null {
    return this.live ? this.broadcasterId : null;
  }

  /** Watchers of the room, on every node. */
  get watcherCount(): number {
    return this.watcherPeers.size + (this.remote?.watcherCount ?? 0);
  }

  hasWatcher(id: string): boolean {
    return this.watcherPeers.has(id) || (this.remote?.hasWatcher(id) ?? false);
  }

  /** Watchers of the room, on every node: this node's in the order they joined, then the others'. */
  *watcherIds(): IterableIterator<string> {
    yield* this.watcherPeers.keys();
    const remote = this.remote;
    if (remote) yield* remote.watcherIds();
  }

  /** The local peer with `id` (its broadcaster or a watcher), if this node holds it. */
  localPeer(id: string): Peer | undefined {
    return this.broadcasterPeer?.id === id ? this.broadcasterPeer : this.watcherPeers.get(id);
  }

  /** Every peer of the room this node holds. */
  *localPeers(): IterableIterator<Peer> {
    if (this.broadcasterPeer) yield this.broadcasterPeer;
    yield* this.watcherPeers.values();
  }

  /** No peer of the room is on this node (it is discarded here). */
  get empty(): boolean {
    return this.broadcasterPeer === null && this.watcherPeers.size === 0;
  }

  get chatEnabled(): boolean {
    return this.chat.enabled;
  }

  /** The kept chat messages, oldest first (a copy). */
  chatHistory(): ChatEntry[] {
    return this.chat.history();
  }

  /** A frozen copy of what `ops/` shows. */
  snapshot(): RoomSnapshot {
    return Object.freeze({
      name: this.name,
      live: this.isLive,
      hasBroadcaster: this.broadcasterPeer !== null,
      watchers: this.watcherPeers.size,
      watchersElsewhere: this.remote?.watcherCount ?? 0,
      chatEnabled: this.chat.enabled,
      delivered: this.lastDelivered,
    });
  }

  // ---- For the bus (`RoomMembers`) --------------------------------------------------------------------------------

  get broadcasterSink(): Sink | null {
    return this.broadcasterPeer;
  }

  watcherSink(id: string): Sink | undefined {
    return this.watcherPeers.get(id);
  }

  watcherSinks(): Iterable<Sink> {
    return this.watcherPeers.values();
  }

  // ---- Changing ---------------------------------------------------------------------------------------------------

  /**
   * Let `peer` in as `role`. A new broadcaster starts not live (it announces its media with `broadcastAvailable`).
   * The caller has checked that a broadcaster's place is free (see `Rooms.admit`).
   */
  admit(peer: Peer, role: Role): void {
    if (role === 'broadcaster') {
      this.broadcasterPeer = peer;
      this.isLive = false;
    } else {
      this.watcherPeers.set(peer.id, peer);
    }
  }

  /**
   * Take `peer` out. When the broadcaster goes, the room is no longer live and its delivery report is dropped.
   * @returns what happened, or null when `peer` was not in the room
   */
  remove(peer: Peer): Removal {
    if (this.broadcasterPeer === peer) {
      const wasLive = this.isLive;
      this.broadcasterPeer = null;
      this.isLive = false;
      this.lastDelivered = null;
      return { role: 'broadcaster', wasLive };
    }
    return this.watcherPeers.delete(peer.id) ? { role: 'watcher' } : null;
  }

  /** The broadcaster announced its media (`broadcastAvailable`). */
  goLive(): void {
    this.isLive = true;
    if (this.broadcasterPeer) this.elsewhere?.joined(this.name, this.broadcasterPeer.id, 'broadcaster', true);
  }

  /** Keep the broadcaster's latest delivery report (it replaces the one before). */
  recordDelivery(delivered: Delivered): void {
    this.lastDelivered = delivered;
  }

  /** The broadcaster turned chat on or off. */
  setChat(enabled: boolean): void {
    this.chat.enabled = enabled;
  }

  /** Keep one chat message in the room's history. */
  addChat(entry: ChatEntry): void {
    this.chat.add(entry);
  }
}
