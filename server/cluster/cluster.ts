/**
 * This node's place in a cluster of OnAir nodes that share one Redis (`REDIS_URL`): it tells Redis which peers it
 * holds, keeps a {@link RoomMirror} of the peers other nodes hold in the rooms it serves, and carries frames between
 * nodes. The relay's handlers never see it: the Redis bus (`redis-bus.ts`) and the rooms call it.
 *
 * - Membership: each join, live change and leave is written to Redis and published on the room's channel in one
 *   transaction; every {@link HEARTBEAT_MS} the node rewrites all it holds with a TTL of {@link MEMBER_TTL_MS}, so a
 *   dead node's peers expire within seconds and an emptied (restarted) Redis is refilled by the next heartbeat.
 * - Delivery: a frame for a peer of another node goes to that node's channel; a frame for a room's watchers (or
 *   everyone) goes to the room's channel, and each node writes it to the peers it holds. Published from one
 *   connection, so in order per sender and receiver.
 * - A live broadcaster whose node died: its entry expires, and unless it resumes (on any node) within the resume
 *   grace, each node tells its own watchers `broadcastEnded`, as the dead node would have.
 * - Redis down: publishes fail and are dropped (rooms whose peers are all on this node are unaffected); the mirrors
 *   keep what they knew; when Redis is back, the node rewrites what it holds at once and re-reads the mirrors.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '../../protocol/messages.ts';
import type { Elsewhere } from '../signaling/elsewhere.ts';
import { nodeChannel, RedisLink, roomChannel, type MemberRecord, type MemberValue, type NodeRooms } from './redis-link.ts';
import type { MediaEvent } from './media-event.ts';
import { Outbox } from './outbox.ts';
import { RoomMirror, type RoomEvent } from './room-mirror.ts';

/** How often a node rewrites what it holds and re-reads its mirrors, ms. */
export const HEARTBEAT_MS = 1000;
/** How long an entry lives in Redis unless rewritten, ms: a dead node's peers are gone this long after its death. */
export const MEMBER_TTL_MS = 4000;
/** The default of {@link ClusterOptions.resumeGraceMs}: the relay's resume grace (`RESUME_GRACE_MS`). */
const DEFAULT_RESUME_GRACE_MS = 10_000;

/** A frame from another node for peers this node holds. */
export type Delivery =
  | { room: string; to: 'peer'; id: string; frame: string }
  | { room: string; to: 'watchers' | 'all'; frame: string };

/** What the cluster needs from this node's rooms. */
export interface LocalSide {
  /** Every room this node holds peers of, with its members (for the heartbeat's rewrite). */
  rooms(): NodeRooms[];
  /** Write a frame from another node to the local peers it is for. */
  deliver(delivery: Delivery): void;
  /** What other nodes hold of `room` changed (the viewer count may have). */
  mirrorChanged(room: string): void;
  /**
   * Another node announced `id` in `room` as `value`. When this node holds `id` too, the peer resumed there while
   * its old socket here still looks open: close the local one without telling the room it left. When `value` is a
   * broadcaster and this node holds another broadcaster of the room, that one was taken over.
   */
  announcedElsewhere(room: string, id: string, value: MemberValue): void;
  /**
   * The live broadcaster `id` of `room`, held by another node, vanished from Redis (its node died) and no broadcaster
   * took the room within the resume grace: tell the local watchers the broadcast ended (unless this node now holds a
   * broadcaster of the room).
   */
  broadcasterVanished(room: string, id: string): void;
  /** Another node forwarded a media event for `room`, whose broadcaster it believes this node holds. */
  media(room: string, event: MediaEvent): void;
}

/** One room of the cluster as `/api/rooms` reports it. */
export interface ClusterRoom {
  name: string;
  broadcaster: string | null;
  live: boolean;
  watchers: number;
  /** Peers per node id. */
  nodes: Record<string, number>;
}

type NodeEvent = { k: 'peer'; room: string; id: string; f: string } | { k: 'media'; room: string; e: MediaEvent };

export interface ClusterOptions {
  heartbeatMs?: number;
  ttlMs?: number;
  /** How long a broadcaster whose node died may take to resume on another node before its watchers are told, ms. */
  resumeGraceMs?: number;
}

export class Cluster implements Elsewhere {
  /** This node's id: random per process, so a restarted node is a new node and the old one's entries expire. */
  readonly node = randomBytes(9).toString('base64url');
  private readonly link: RedisLink;
  /** Frames for other nodes, published at the end of each turn of the event loop (see `outbox.ts`). */
  private readonly outbox: Outbox<RoomEvent | NodeEvent>;
  private readonly mirrors = new Map<string, RoomMirror>();
  /** Rooms whose last local peer just left, to stop serving at the end of this turn of the event loop. */
  private readonly leaving = new Set<string>();
  /** The mirrors of rooms being entered, not served yet (events heard meanwhile go there). */
  private readonly making = new Map<string, RoomMirror>();
  /** Rooms being entered: the subscription and first read in flight. */
  private readonly entering = new Map<string, Promise<RoomMirror>>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private readonly resumeGraceMs: number;
  /** Until when (ms since the epoch) mirror reads only add: the nodes are still refilling a Redis that came back. */
  private addOnlyUntil = 0;
  private local: LocalSide | null = null;

  constructor(url: string, private readonly log: FastifyBaseLogger, opts: ClusterOptions = {}) {
    this.heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    this.ttlMs = opts.ttlMs ?? MEMBER_TTL_MS;
    this.resumeGraceMs = opts.resumeGraceMs ?? DEFAULT_RESUME_GRACE_MS;
    this.link = new RedisLink(url, log.child({ node: this.node }));
    this.outbox = new Outbox((channel, message) => this.swallow(this.link.publish(channel, message)));
    this.link.on('message', (channel, message) => this.onMessage(channel, message));
    this.link.on('up', () => {
      this.addOnlyUntil = Date.now() + this.ttlMs;
      void this.tick();
    });
    void this.link.subscribe(nodeChannel(this.node)).catch((err: Error) => this.log.warn({ err: err.message }, 'redis subscribe failed'));
    this.heartbeat = setInterval(() => void this.tick(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** True while Redis is reachable. */
  get up(): boolean {
    return this.link.up;
  }

  /** Resolves once Redis is reachable (at once if it is). */
  whenUp(): Promise<void> {
    return this.link.up ? Promise.resolve() : new Promise((resolve) => this.link.once('up', resolve));
  }

  /** Connect this node's rooms (once, before any peer joins). */
  attach(local: LocalSide): void {
    this.local = local;
  }

  /** What other nodes hold of `room`, if this node serves it. */
  mirror(room: string): RoomMirror | undefined {
    return this.mirrors.get(room);
  }

  /**
   * Serve `room` on this node: subscribe to its channel and read who the other nodes hold. Call before the first
   * local peer joins it; resolves at once when already served. With Redis down, resolves with what is known (nothing
   * yet) and the heartbeat fills it in later.
   */
  enter(room: string): Promise<RoomMirror> {
    this.leaving.delete(room);
    const known = this.mirrors.get(room);
    if (known) return Promise.resolve(known);
    let pending = this.entering.get(room);
    if (!pending) {
      pending = this.enterNow(room).finally(() => this.entering.delete(room));
      this.entering.set(room, pending);
    }
    return pending;
  }

  /**
   * Subscribe, then read: whatever is published after the subscription is heard, whatever before is in the read.
   * Events heard meanwhile go to the mirror being made (held until the read is in). The room counts as served (its
   * peers may join) only once both are done. With Redis down, the subscription waits for it in the background.
   */
  private async enterNow(room: string): Promise<RoomMirror> {
    const mirror = new RoomMirror(this.node);
    mirror.beginRead();
    this.making.set(room, mirror);
    const subscribed = this.link.subscribe(roomChannel(room)).catch((err: Error) => this.log.warn({ err: err.message, room }, 'redis subscribe failed'));
    if (this.link.up) await subscribed;
    await this.readInto(room, mirror);
    this.making.delete(room);
    this.mirrors.set(room, mirror);
    return mirror;
  }

  /** Read the room's members from Redis into `mirror` (events heard meanwhile are replayed on top). */
  private async readInto(room: string, mirror: RoomMirror): Promise<void> {
    mirror.beginRead();
    let records: MemberRecord[] | null = null;
    try {
      records = await this.link.members(room);
    } catch (err) {
      this.log.debug({ err: (err as Error).message, room }, 'redis read failed; the heartbeat reads again');
    }
    mirror.endRead(records, Date.now() >= this.addOnlyUntil);
  }

  /**
   * The last local peer of `room` left: stop serving it, once what its leaving causes has gone out (the leave's
   * `watcherLeft` or `broadcastEnded` still needs the mirror) and unless a peer joined it again meanwhile.
   */
  leave(room: string): void {
    if (!this.mirrors.has(room)) return;
    this.leaving.add(room);
    setImmediate(() => {
      if (!this.leaving.delete(room) || !this.mirrors.delete(room)) return;
      this.swallow(this.link.unsubscribe(roomChannel(room)));
      this.swallow(this.link.dropRoom(room, this.node));
    });
  }

  /** A local peer joined `room`, resumed here or changed (a broadcaster went live). */
  announce(room: string, id: string, value: MemberValue): void {
    this.leaving.delete(room);
    const mirror = this.mirrors.get(room);
    if (value === 'watcher') mirror?.localWatcher(id);
    else mirror?.localBroadcaster();
    this.outbox.flush();
    const event: RoomEvent = { k: 'member', n: this.node, id, v: value };
    this.swallow(this.link.setMember({ room, node: this.node, id, value }, this.ttlMs, JSON.stringify(event)));
  }

  /** A local peer left `room` (not: moved away). */
  withdraw(room: string, id: string): void {
    this.outbox.flush();
    const event: RoomEvent = { k: 'left', n: this.node, id };
    this.swallow(this.link.removeMember(room, this.node, id, JSON.stringify(event)));
  }

  // ---- Elsewhere: what the rooms tell the cluster, and read from it ------------------------------------------------

  members(room: string): RoomMirror | undefined {
    return this.mirrors.get(room);
  }

  joined(room: string, id: string, role: Role, live: boolean): void {
    this.announce(room, id, role === 'watcher' ? 'watcher' : live ? 'broadcaster live' : 'broadcaster');
  }

  left(room: string, id: string): void {
    this.withdraw(room, id);
  }

  emptied(room: string): void {
    this.leave(room);
  }

  // ---- Delivery --------------------------------------------------------------------------------------------------

  /** Send `frame` to peer `id` of `room`, held by `node`. */
  toNode(node: string, room: string, id: string, frame: string): void {
    this.outbox.push(nodeChannel(node), { k: 'peer', room, id, f: frame });
  }

  /** Send a media event for `room` to `node` (which holds its broadcaster), in order with this node's other frames. */
  mediaToNode(node: string, room: string, event: MediaEvent): void {
    this.outbox.push(nodeChannel(node), { k: 'media', room, e: event });
  }

  /**
   * Send `frame` to the watchers (or everyone) of `room` that other nodes hold. Published even when this node knows
   * of none: a peer another node is admitting right now is not in the mirror yet, and must not miss it.
   */
  fanOut(room: string, to: 'watchers' | 'all', frame: string): void {
    if (!this.mirrors.has(room)) return;
    this.outbox.push(roomChannel(room), { k: 'fan', n: this.node, to, f: frame });
  }

  /**
   * Share this node's subscriptions per Janus instance (by URL) for a TTL, and read the other nodes'.
   * @returns the other nodes' subscriptions per instance URL, summed. Rejects while Redis is down.
   */
  async shareJanusLoads(local: Readonly<Record<string, number>>): Promise<Record<string, number>> {
    await this.link.writeJanusLoads(this.node, local, this.ttlMs);
    const others: Record<string, number> = {};
    for (const [node, loads] of await this.link.janusLoads()) {
      if (node === this.node) continue;
      for (const [url, n] of Object.entries(loads)) others[url] = (others[url] ?? 0) + n;
    }
    return others;
  }

  /** Every room of the cluster. Rejects while Redis is down. */
  async rooms(): Promise<ClusterRoom[]> {
    const byName = new Map<string, ClusterRoom>();
    for (const m of await this.link.members()) {
      let room = byName.get(m.room);
      if (!room) byName.set(m.room, (room = { name: m.room, broadcaster: null, live: false, watchers: 0, nodes: {} }));
      room.nodes[m.node] = (room.nodes[m.node] ?? 0) + 1;
      if (m.value === 'watcher') room.watchers++;
      else Object.assign(room, { broadcaster: m.id, live: m.value === 'broadcaster live' });
    }
    return [...byName.values()];
  }

  /** Stop: no heartbeat, this node's entries removed from Redis (best effort), connections closed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.allSettled([...this.mirrors.keys()].map((room) => this.link.dropRoom(room, this.node)));
    this.mirrors.clear();
    await this.link.close();
  }

  /** One heartbeat: rewrite what this node holds, then re-read the mirror of each room it serves. */
  private async tick(): Promise<void> {
    if (!this.link.up || !this.local) return;
    try {
      await this.link.writeNode(this.node, this.local.rooms(), this.ttlMs);
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'redis heartbeat failed');
      return;
    }
    for (const [room, mirror] of this.mirrors) {
      const before = `${mirror.watcherCount}/${mirror.broadcaster?.id}/${mirror.broadcaster?.live}`;
      const live = mirror.broadcaster?.live ? mirror.broadcaster.id : null;
      await this.readInto(room, mirror);
      if (`${mirror.watcherCount}/${mirror.broadcaster?.id}/${mirror.broadcaster?.live}` !== before) this.local.mirrorChanged(room);
      if (live !== null && mirror.broadcaster === null) this.awaitResume(room, live);
    }
  }

  /**
   * The live broadcaster `id` dropped out of `room`'s mirror on a read (expired: its node died; or it left, or became
   * local, which the check at the end of the grace tells apart): if the room still has no broadcaster elsewhere after
   * the resume grace, the local side tells its watchers.
   */
  private awaitResume(room: string, id: string): void {
    setTimeout(() => {
      const mirror = this.mirrors.get(room);
      if (mirror && mirror.broadcaster === null) this.local?.broadcasterVanished(room, id);
    }, this.resumeGraceMs).unref();
  }

  /** A message on a channel: one event (a membership change), or an array of them (an outbox's batch). */
  private onMessage(channel: string, message: string): void {
    let events: Array<RoomEvent | NodeEvent>;
    try {
      // Only our nodes publish on these channels (the events' full schema is ours); still, anything that is not an
      // object with a kind (`k`) is refused here rather than read further, so a stray publish cannot throw below.
      const parsed: unknown = JSON.parse(message);
      const list: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
      if (!list.every((e) => typeof e === 'object' && e !== null && typeof (e as { k?: unknown }).k === 'string')) throw new Error('not events');
      events = list as Array<RoomEvent | NodeEvent>;
    } catch {
      return this.log.warn({ channel }, 'unreadable message on a redis channel');
    }
    for (const event of events) this.onEvent(channel, event);
  }

  private onEvent(channel: string, event: RoomEvent | NodeEvent): void {
    const local = this.local;
    if (!local) return;
    if (event.k === 'peer') return local.deliver({ room: event.room, to: 'peer', id: event.id, frame: event.f });
    if (event.k === 'media') return local.media(event.room, event.e);
    const room = channel.slice(roomChannel('').length);
    const mirror = this.mirrors.get(room) ?? this.making.get(room);
    if (!mirror || event.n === this.node) return;
    if (event.k === 'fan') return local.deliver({ room, to: event.to, frame: event.f });
    mirror.apply(event);
    if (event.k === 'member') local.announcedElsewhere(room, event.id, event.v);
    local.mirrorChanged(room);
  }

  private swallow(p: Promise<unknown>): void {
    p.catch((err: Error) => this.log.debug({ err: err.message }, 'redis write dropped'));
  }
}
