/**
 * One escalated room on the SFU: a private Janus VideoRoom room, the broadcaster's one publication into it and one
 * subscription per watcher. To the pages the SFU is one more peer, named by the server ({@link SfuRoom.peerId}, 128
 * random bits, new at every escalation): the broadcaster gets `publish` from it and offers to it; each watcher gets
 * its offer (Janus offers to subscribers) and answers it; ICE candidates trickle both ways through the server
 * (RFC 8838). Janus's own address never reaches a page: only SDP and candidates do.
 *
 * The room lives on its origin instance; subscriptions are placed there or, past `JANUS_MAX_VIEWERS`, on cascades to
 * other instances ({@link SfuSites}); pages see one SFU peer either way.
 *
 * Bounds: a watcher holds at most one subscription (a new one leaves the old); it is left when the watcher leaves or
 * hangs up, or when Janus hangs it up; {@link SfuRoom.close} leaves the publication and every subscription, undoes
 * the cascades and destroys the Janus room. Failures (a Janus refusal, the origin's connection lost) end the room
 * through `onFailure`, once; a cascade's instance lost only moves its watchers.
 */
import { randomBytes } from 'node:crypto';
import type { IceCandidate, LayerReportMessage } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import { fromJanusError, SfuError } from '../sfu/errors.ts';
import type { SfuRoomId } from '../sfu/janus-client.ts';
import type { JanusPublisher, JanusSubscriber, Substream } from '../sfu/janus-peers.ts';
import type { JanusInstance, JanusPool } from '../sfu/janus-pool.ts';
import { KeyframePacer } from './keyframe-pacer.ts';
import { SfuSites, type RoomLog, type Site } from './sfu-sites.ts';
import { WatcherLayers } from './watcher-layers.ts';

/**
 * Janus's SDP as pages get it: its session name (`s=VideoRoom <room id>`, RFC 8866 §5.3) would tell every page the
 * Janus room's id, so it becomes `s=-` (as browsers write it). Nothing else is changed.
 */
export function sdpForPages(sdp: string): string {
  return sdp.replace(/^s=.*$/m, 's=-');
}

/** Candidates that arrive before their Janus handle exists, kept in order (at most this many per peer). */
const MAX_EARLY_CANDIDATES = 64;

interface Subscription {
  /** Where it is placed (null until then). */
  site: Site | null;
  subscriber: JanusSubscriber | null;
  started: boolean;
  early: IceCandidate[];
}

export interface SfuRoomOptions {
  room: string;
  /** The instance the room is created on and the broadcaster publishes into. */
  origin: JanusInstance;
  /** Every instance: where cascades go (see {@link SfuSites}). */
  pool: JanusPool;
  /** `JANUS_MAX_VIEWERS`: subscriptions per instance before a cascade (0: none). */
  instanceMaxViewers: number;
  log: RoomLog;
  bus: Bus;
  /** The room's SFU use ended because of `error` (refused or Janus lost); called once, never after `close()`. */
  onFailure: (error: SfuError) => void;
  /** The number of watchers on the SFU changed. */
  onAudience: () => void;
  /** A watcher's simulcast layer was switched (for `/metrics`). */
  onLayerSwitch?: (direction: 'up' | 'down') => void;
  /**
   * End the room (`onFailure` with `sfu_publisher_silent`) when Janus has received no video from the publisher for
   * this long, ms; undefined: never. For publishers that nothing else watches over: a WHIP encoder that vanished
   * without its DELETE has no socket whose loss would tell (a page broadcaster has one, and may send no video at all,
   * audio only).
   */
  publisherSilenceMs?: number;
}

export class SfuRoom {
  /** The SFU's peer id in this room, as pages see it. */
  readonly peerId = randomBytes(16).toString('base64url');
  #janusRoom: SfuRoomId | null = null;
  #publisher: JanusPublisher | null = null;
  #publisherEarly: IceCandidate[] = [];
  #up = false;
  #closed = false;
  readonly #keyframes = new KeyframePacer();
  #silenceTimer: NodeJS.Timeout | null = null;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #layers = new WatcherLayers();
  readonly #sites: SfuSites;
  readonly #o: SfuRoomOptions;

  constructor(options: SfuRoomOptions) {
    this.#o = options;
    this.#sites = new SfuSites({ pool: options.pool, instanceMaxViewers: options.instanceMaxViewers, log: options.log, room: options.room });
  }

  /** The Janus instance the broadcaster publishes into. */
  get origin(): JanusInstance {
    return this.#o.origin;
  }


  /** Watchers subscribed (or being subscribed) through the SFU. */
  get watchers(): number {
    return this.#subscriptions.size;
  }

  /** Whether `watcherId` is (being) subscribed. */
  has(watcherId: string): boolean {
    return this.#subscriptions.has(watcherId);
  }

  /** Create the Janus room, then ask the broadcaster to publish (`publish` from {@link peerId}). */
  start(): void {
    void this.#guard(async () => {
      const room = await this.#o.origin.client.createRoom();
      if (this.#closed) return void (await this.#o.origin.client.destroyRoom(room));
      this.#janusRoom = room;
      this.#o.origin.countRoom(1);
      this.#o.bus.toBroadcaster(this.#o.room, { type: 'publish', from: this.peerId });
    });
  }

  /** The broadcaster's offer to publish: Janus answers (to the broadcaster, from {@link peerId}); then subscribe. */
  publish(sdp: string): void {
    void this.#guard(async () => {
      if (this.#publisher || !this.#janusRoom) throw new SfuError('sfu_refused', { detail: 'not expecting a publication now' });
      const publisher = await this.#o.origin.client.publish(this.#janusRoom, { type: 'offer', sdp });
      this.#layers.publication(sdp);
      if (this.#closed) return void (await publisher.leave());
      this.#publisher = publisher;
      this.#sites.setOrigin(this.#o.origin, this.#janusRoom, publisher);
      publisher.on('candidate', (candidate) => {
        if (candidate) this.#o.bus.toBroadcaster(this.#o.room, { type: 'iceAnswerCandidate', from: this.peerId, candidate });
      });
      publisher.on('closed', () => this.#fail(new SfuError('sfu_unavailable', { detail: 'the publication ended' })));
      publisher.on('video', (receiving) => this.#publisherVideo(receiving));
      this.#o.bus.toBroadcaster(this.#o.room, { type: 'answer', from: this.peerId, sdp: sdpForPages(publisher.answer.sdp) });
      for (const candidate of this.#publisherEarly.splice(0)) await publisher.trickle(candidate);
      await publisher.whenUp();
      this.#up = true;
      for (const id of this.#subscriptions.keys()) this.#subscribe(id);
    });
  }

  /** One of the broadcaster's ICE candidates for its publication. */
  publisherCandidate(candidate: IceCandidate): void {
    if (!this.#publisher) return void keep(this.#publisherEarly, candidate);
    void this.#guard(() => this.#publisher!.trickle(candidate));
  }

  /** Subscribe `watcherId` (once the publication is up): the watcher gets Janus's offer from {@link peerId}. */
  addWatcher(watcherId: string): void {
    this.#leave(watcherId);
    this.#subscriptions.set(watcherId, { site: null, subscriber: null, started: false, early: [] });
    this.#o.onAudience();
    if (this.#up) this.#subscribe(watcherId);
  }

  /** A watcher's answer to Janus's offer. */
  answer(watcherId: string, sdp: string): void {
    const sub = this.#subscriptions.get(watcherId);
    const subscriber = sub?.subscriber;
    if (!sub || !subscriber || sub.started) return;
    sub.started = true;
    void this.#watcherCall(watcherId, async () => {
      await subscriber.start({ type: 'answer', sdp });
      for (const candidate of sub.early.splice(0)) await subscriber.trickle(candidate);
    });
  }

  /** One of a watcher's ICE candidates for its subscription. */
  watcherCandidate(watcherId: string, candidate: IceCandidate): void {
    const sub = this.#subscriptions.get(watcherId);
    if (!sub) return;
    if (!sub.started || !sub.subscriber) return void keep(sub.early, candidate);
    const subscriber = sub.subscriber;
    void this.#watcherCall(watcherId, () => subscriber.trickle(candidate));
  }

  /**
   * A watcher's `layerReport`: the layer policy may pick another simulcast layer for it, applied with VideoRoom
   * `configure` (`substream`, `temporal`) on its subscriber handle; the watcher is told its layer (`layer`) at its
   * first report and at every change, the broadcaster each change (`watcherLayer`). Ignored before its media started.
   */
  layerReport(watcherId: string, report: LayerReportMessage): void {
    const sub = this.#subscriptions.get(watcherId);
    const subscriber = sub?.subscriber;
    if (!sub || !subscriber || !sub.started || this.#closed) return;
    const change = this.#layers.report(watcherId, report, performance.now());
    if (!change) return;
    const { layer, direction } = change;
    if (direction) this.#o.onLayerSwitch?.(direction);
    this.#o.bus.toPeer(this.#o.room, watcherId, { type: 'layer', ...layer });
    this.#o.bus.toBroadcaster(this.#o.room, { type: 'watcherLayer', id: watcherId, layer });
    if (direction) void this.#watcherCall(watcherId, () => subscriber.configureSubstream(layer.substream as Substream, layer.temporal as Substream));
  }

  /** Add this room's SFU watchers per layer label to `into` (see {@link WatcherLayers.count}). */
  countLayers(into: Map<string, number>): void {
    this.#layers.count(into, this.#subscriptions.keys());
  }

  /** The watcher left, or hung up on the SFU: leave its subscription. */
  removeWatcher(watcherId: string): void {
    if (this.#leave(watcherId)) this.#o.onAudience();
  }

  /** Leave everything and destroy the Janus room (best effort). Idempotent; `onFailure` is not called. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keyframes.close();
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    for (const id of [...this.#subscriptions.keys()]) this.#leave(id);
    this.#sites.close();
    const publisher = this.#publisher;
    const room = this.#janusRoom;
    if (room) this.#o.origin.countRoom(-1);
    void (async () => {
      await publisher?.leave();
      if (room) await this.#o.origin.client.destroyRoom(room).catch(() => {});
    })();
  }

  #subscribe(watcherId: string): void {
    const sub = this.#subscriptions.get(watcherId);
    const publisher = this.#publisher;
    if (!sub || !publisher || sub.site) return;
    void this.#watcherCall(watcherId, async () => {
      const site = await this.#sites.place();
      if (this.#closed || this.#subscriptions.get(watcherId) !== sub) return this.#sites.release(site);
      sub.site = site;
      // No layer is asked for here: Janus aims every new subscriber at the top simulcast layer by itself, and a
      // `configure` now would make it ask the broadcaster for a keyframe before this watcher's media is up. Chromium
      // ignores a keyframe request within 300 ms of the last one, so the request at `webrtcup` below was dropped and
      // the first frame waited about 250 ms longer (measured: 230–260 ms from DTLS up to first frame, 30–70 without).
      const subscriber = await site.instance.client.subscribe(site.room, site.feed);
      if (this.#closed || this.#subscriptions.get(watcherId) !== sub) return void (await subscriber.leave());
      sub.subscriber = subscriber;
      // Janus hung the watcher's connection up (ICE failed, DTLS closed: a page gone without leaving, say on a node
      // that died): free the subscription. A page still there heals by asking again (its ICE watchdog).
      subscriber.once('hangup', () => {
        if (this.#subscriptions.get(watcherId)?.subscriber === subscriber) this.removeWatcher(watcherId);
      });
      // A cascade's instance lost: this watcher (and the others there) subscribe again elsewhere.
      subscriber.once('closed', () => {
        if (this.#subscriptions.get(watcherId)?.subscriber === subscriber && this.#sites.isEdge(site) && !site.instance.up) this.#edgeLost(site);
      });
      // Its media is up: a keyframe now, or the watcher's first frame waits for its browser to ask (about 250 ms).
      subscriber.once('webrtcup', () => {
        if (!this.#closed) this.#keyframes.request(publisher);
      });
      subscriber.on('candidate', (candidate) => {
        if (candidate) this.#o.bus.toPeer(this.#o.room, watcherId, { type: 'iceOfferCandidate', from: this.peerId, candidate });
      });
      this.#o.bus.toPeer(this.#o.room, watcherId, { type: 'mediaPath', path: 'sfu' });
      this.#o.bus.toPeer(this.#o.room, watcherId, { type: 'offer', from: this.peerId, sdp: sdpForPages(subscriber.offer.sdp) });
    });
  }

  /** Janus started or stopped receiving the publisher's video: see {@link SfuRoomOptions.publisherSilenceMs}. */
  #publisherVideo(receiving: boolean): void {
    const silenceMs = this.#o.publisherSilenceMs;
    if (silenceMs === undefined || this.#closed) return;
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
    if (receiving) return;
    this.#silenceTimer = setTimeout(() => {
      this.#fail(new SfuError('sfu_publisher_silent', { detail: `no video for ${silenceMs / 1000} s` }));
    }, silenceMs);
  }

  /** Take a watcher's subscription out and leave its handle. @returns whether it had one */
  #leave(watcherId: string): boolean {
    const sub = this.#subscriptions.get(watcherId);
    if (!sub) return false;
    this.#subscriptions.delete(watcherId);
    if (sub.site) this.#sites.release(sub.site);
    if (this.#layers.remove(watcherId) && !this.#closed) this.#o.bus.toBroadcaster(this.#o.room, { type: 'watcherLayer', id: watcherId, layer: null });
    void sub.subscriber?.leave();
    return true;
  }

  /**
   * A failure in one watcher's subscription: the origin's Janus lost ends the room; a cascade's lost moves its
   * watchers to another site; a refusal is told to that watcher only.
   */
  async #watcherCall(watcherId: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      const error = fromJanusError(err);
      const site = this.#subscriptions.get(watcherId)?.site;
      if (error.code === 'sfu_unavailable' && site && this.#sites.isEdge(site)) return this.#edgeLost(site);
      if (error.code === 'sfu_unavailable') return this.#fail(error);
      this.removeWatcher(watcherId);
      this.#o.bus.toPeer(this.#o.room, watcherId, { type: 'error', code: error.code, message: error.message });
    }
  }

  /** A cascade's instance was lost: its watchers subscribe again (the origin, another cascade, or a new one). */
  #edgeLost(site: Site): void {
    if (this.#closed) return;
    this.#sites.dropEdge(site);
    for (const [id, sub] of this.#subscriptions) if (sub.site === site) this.addWatcher(id);
  }

  async #guard(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.#fail(fromJanusError(err));
    }
  }

  #fail(error: SfuError): void {
    if (this.#closed) return;
    this.close();
    this.#o.onFailure(error);
  }
}

function keep(list: IceCandidate[], candidate: IceCandidate): void {
  if (list.length < MAX_EARLY_CANDIDATES) list.push(candidate);
}
