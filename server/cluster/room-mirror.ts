/**
 * What one node knows of the peers of one room that *other* nodes hold: their watchers (id → node) and the room's
 * broadcaster, if another node holds it. Kept from the room's events on its Redis channel, and replaced by a fresh
 * read of Redis on every heartbeat (so a dead node's peers drop out within a TTL).
 *
 * A read and the events published meanwhile race on two connections; events that arrive while a read is pending
 * are held and replayed on top of it. Every event sets a state ("X is a watcher on node N", "X left node N"), so
 * replaying one the read already saw changes nothing.
 */
import type { MemberRecord, MemberValue } from './redis-link.ts';

/** A room event on its channel, as JSON. `n` is the node that published it. */
export type RoomEvent =
  | { k: 'member'; n: string; id: string; v: MemberValue }
  | { k: 'left'; n: string; id: string }
  | { k: 'fan'; n: string; to: 'watchers' | 'all'; f: string };

/** The room's broadcaster when another node holds it. */
export interface RemoteBroadcaster {
  id: string;
  node: string;
  live: boolean;
}

export class RoomMirror {
  /** Remote watchers: peer id → the node that holds it. */
  private readonly watchers = new Map<string, string>();
  private remoteBroadcaster: RemoteBroadcaster | null = null;
  /** Events held while a read is pending; null when none is. */
  private held: Array<Exclude<RoomEvent, { k: 'fan' }>> | null = null;

  /** @param self this node's id: its own events and records are not mirrored */
  constructor(private readonly self: string) {}

  get watcherCount(): number {
    return this.watchers.size;
  }

  get broadcaster(): RemoteBroadcaster | null {
    return this.remoteBroadcaster;
  }

  /** The node of remote watcher `id`, if there is one. */
  nodeOf(id: string): string | undefined {
    return this.watchers.get(id);
  }

  hasWatcher(id: string): boolean {
    return this.watchers.has(id);
  }

  watcherIds(): IterableIterator<string> {
    return this.watchers.keys();
  }

  /** Apply a membership event from the room's channel (held while a read is pending). */
  apply(event: Exclude<RoomEvent, { k: 'fan' }>): void {
    if (event.n === this.self) return;
    if (this.held) this.held.push(event);
    else this.set(event);
  }

  /** A read of the room's members from Redis starts: hold events until {@link endRead}. */
  beginRead(): void {
    this.held ??= [];
  }

  /**
   * The read is done: take `records` as the truth, then replay the events held meanwhile.
   * @param records the room's members, or null when the read failed (keep what is known, replay the events)
   * @param removeMissing false right after Redis came back: nodes are still rewriting what it lost, so add, never drop
   */
  endRead(records: readonly MemberRecord[] | null, removeMissing = true): void {
    const held = this.held ?? [];
    this.held = null;
    if (records) {
      if (removeMissing) {
        this.watchers.clear();
        this.remoteBroadcaster = null;
      }
      for (const r of records) {
        if (r.node !== this.self) this.set({ k: 'member', n: r.node, id: r.id, v: r.value });
      }
    }
    for (const event of held) this.set(event);
  }

  private set(event: Exclude<RoomEvent, { k: 'fan' }>): void {
    if (event.k === 'member') {
      if (event.v === 'watcher') {
        this.watchers.set(event.id, event.n);
        if (this.remoteBroadcaster?.id === event.id) this.remoteBroadcaster = null;
      } else {
        this.watchers.delete(event.id);
        this.remoteBroadcaster = { id: event.id, node: event.n, live: event.v === 'broadcaster live' };
      }
      return;
    }
    // A peer that moved (resumed on another node) is no longer where the old node says it left from.
    if (this.watchers.get(event.id) === event.n) this.watchers.delete(event.id);
    if (this.remoteBroadcaster?.id === event.id && this.remoteBroadcaster.node === event.n) this.remoteBroadcaster = null;
  }

  /** The broadcaster of this room is now a local peer (it joined or resumed here): forget any remote one. */
  localBroadcaster(): void {
    this.remoteBroadcaster = null;
  }

  /** Watcher `id` is now a local peer (it resumed here). */
  localWatcher(id: string): void {
    this.watchers.delete(id);
  }
}
