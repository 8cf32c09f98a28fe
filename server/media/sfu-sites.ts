/**
 * Where one escalated room's watchers subscribe: its origin (the Janus instance and room the broadcaster publishes
 * into) and, once the origin's load reaches `JANUS_MAX_VIEWERS` subscriptions, cascades ("edges"): a room on
 * another instance with a remote publisher that the origin forwards the publication to (VideoRoom
 * `add_remote_publisher` + `publish_remotely`, Janus ≥ 1.1; one hop, plain RTP, so only over a private network).
 * An instance's load counts every node's subscriptions on it when the nodes share it (see `JanusInstance.load`).
 *
 * Placement: the origin while it is under the cap; else the edge under the cap with the fewest viewers; else a new
 * edge on the least loaded instance the room does not use yet; else (every instance full) the origin anyway. Each
 * placement is counted on its instance until {@link SfuSites.release}. An edge that cannot be opened is not tried
 * again for this room. {@link SfuSites.close} undoes every cascade (best effort).
 */
import type { SfuRoomId } from '../sfu/janus-client.ts';
import type { JanusPublisher } from '../sfu/janus-peers.ts';
import type { JanusInstance, JanusPool } from '../sfu/janus-pool.ts';
import { remoteStreams } from '../sfu/remote-streams.ts';

/** A feed watchers can subscribe to: on the origin, or a cascade's remote publisher. */
export interface Site {
  readonly instance: JanusInstance;
  readonly room: SfuRoomId;
  readonly feed: string;
  /** The origin's id for the forwarding to this edge (null: this is the origin). */
  readonly remoteId: string | null;
}

/** Where a room's SFU events are logged (a pino logger fits). */
export interface RoomLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

export interface SfuSitesOptions {
  pool: JanusPool;
  /** Subscriptions per instance before the next go elsewhere (0: no limit, no cascading). */
  instanceMaxViewers: number;
  log: RoomLog;
  /** The room's name, for logs. */
  room: string;
}

export class SfuSites {
  #origin: Site | null = null;
  #publisher: JanusPublisher | null = null;
  readonly #edges = new Map<JanusInstance, Site>();
  /** Instances an edge could not be opened on, for this room. */
  readonly #refused = new Set<JanusInstance>();
  #opening: Promise<void> | null = null;
  #closed = false;
  readonly #o: SfuSitesOptions;

  constructor(options: SfuSitesOptions) {
    this.#o = options;
  }

  /** The broadcaster's publication is in `room` on `instance`: the origin every cascade forwards from. */
  setOrigin(instance: JanusInstance, room: SfuRoomId, publisher: JanusPublisher): void {
    this.#origin = { instance, room, feed: publisher.feed, remoteId: null };
    this.#publisher = publisher;
  }

  /**
   * Where the next watcher subscribes; counted on its instance until {@link release}.
   * @throws Error before {@link setOrigin}
   */
  async place(): Promise<Site> {
    for (;;) {
      const origin = this.#origin;
      if (!origin) throw new Error('no publication yet');
      const max = this.#o.instanceMaxViewers;
      const site = max === 0 || origin.instance.load < max ? origin : this.#openEdgeUnder(max);
      if (site) {
        site.instance.countViewer(1);
        return site;
      }
      const next = this.#closed ? null : this.#o.pool.leastLoaded(this.#used());
      if (!this.#opening && (!next || next.load >= max)) {
        origin.instance.countViewer(1);
        return origin;
      }
      await (this.#opening ??= this.#openEdge(next!).finally(() => (this.#opening = null)));
    }
  }

  /** A subscription placed on `site` ended. */
  release(site: Site): void {
    site.instance.countViewer(-1);
  }

  /** Whether `site` is a cascade (not the origin). */
  isEdge(site: Site): boolean {
    return site.remoteId !== null;
  }

  /** A cascade's instance was lost: forget it (its watchers subscribe again elsewhere) and stop forwarding to it. */
  dropEdge(site: Site): void {
    if (this.#edges.get(site.instance) !== site) return;
    this.#edges.delete(site.instance);
    site.instance.countRoom(-1);
    this.#o.log.warn({ room: this.#o.room, janus: site.instance.name }, 'cascade lost');
    const origin = this.#origin;
    if (origin && site.remoteId) void origin.instance.client.unpublishRemotely(origin.room, origin.feed, site.remoteId).catch(() => {});
  }

  /** Undo every cascade (best effort). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const origin = this.#origin;
    for (const site of this.#edges.values()) {
      site.instance.countRoom(-1);
      void (async () => {
        if (origin && site.remoteId) await origin.instance.client.unpublishRemotely(origin.room, origin.feed, site.remoteId).catch(() => {});
        await site.instance.client.removeRemotePublisher(site.room, site.feed).catch(() => {});
        await site.instance.client.destroyRoom(site.room).catch(() => {});
      })();
    }
    this.#edges.clear();
  }

  /** The open edge under `max` with the fewest viewers, or null. */
  #openEdgeUnder(max: number): Site | null {
    let best: Site | null = null;
    for (const site of this.#edges.values()) {
      if (site.instance.up && site.instance.load < max && (!best || site.instance.load < best.instance.load)) best = site;
    }
    return best;
  }

  #used(): Set<JanusInstance> {
    const used = new Set<JanusInstance>([...this.#edges.keys(), ...this.#refused]);
    if (this.#origin) used.add(this.#origin.instance);
    return used;
  }

  /** Open a cascade on `instance`: a room there, a remote publisher in it, the origin forwarding to it. */
  async #openEdge(instance: JanusInstance): Promise<void> {
    const origin = this.#origin!;
    const publisher = this.#publisher!;
    let room: SfuRoomId | null = null;
    try {
      room = await instance.client.createRoom();
      const remote = await instance.client.addRemotePublisher(room, remoteStreams(publisher.answer.sdp));
      const target = { host: instance.rtpHost, port: remote.port, rtcpPort: remote.rtcpPort };
      const remoteId = await origin.instance.client.publishRemotely(origin.room, origin.feed, target);
      this.#edges.set(instance, { instance, room, feed: remote.feed, remoteId });
      instance.countRoom(1);
      if (this.#closed) {
        // Closed while opening: undo this one too.
        this.#closed = false;
        return this.close();
      }
      this.#o.log.info({ room: this.#o.room, from: origin.instance.name, to: instance.name }, 'room cascades to another Janus instance');
    } catch (err) {
      this.#refused.add(instance);
      if (room) await instance.client.destroyRoom(room).catch(() => {});
      this.#o.log.warn({ room: this.#o.room, janus: instance.name, err }, 'cascade refused: watchers stay on the origin');
    }
  }
}
