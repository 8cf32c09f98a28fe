/**
 * The {@link MediaPath} of a server with an SFU: every room starts as the peer-to-peer mesh ({@link MeshMediaPath}),
 * and escalates to the SFU ({@link SfuRoom}) when a watcher would make it serve more than `MESH_MAX_VIEWERS` peer to
 * peer (0: from the first watcher), or when the broadcaster's adaptation says it cannot hold full quality for the
 * {@link MIN_WATCHERS_TO_RELIEVE} or more watchers it serves peer to peer (`qualityLimited`: its encoders are
 * CPU-bound or lose frames; publishing once instead of encoding per watcher is the relief). Escalating, the broadcaster publishes once and every watcher, those already
 * watching included, gets the SFU's offer; a watcher keeps its mesh picture until its SFU connection has decoded
 * frames, then closes the mesh connection and says so (`hangup` to the broadcaster): make-before-break, the
 * watcher's to do (see `client/watch/viewer.ts`).
 *
 * A room stays on the SFU until its broadcaster leaves (no return to the mesh when the audience shrinks: a move costs
 * every watcher a new connection, and a room that grew once tends to grow again). When Janus is lost, or refuses the
 * room, the room falls back to the mesh: the watchers still on the mesh stay, others are moved to it up to
 * `MESH_MAX_VIEWERS` (the server asks the broadcaster for them, as their `getBroadcast` would), and the rest are told
 * `mediaPath: reconnecting`; when Janus is back, such rooms escalate again.
 *
 * With several Janus instances (`JANUS_URLS`), a room escalates onto the least loaded one that is up
 * ({@link JanusPool.leastLoaded}); when its instance is lost and another is up, the room moves there at once (the
 * broadcaster publishes again, every SFU watcher gets the new subscription's offer; the mesh watchers stay) instead
 * of falling back to the mesh. A room past `JANUS_MAX_VIEWERS` on its instance cascades (see `sfu-sites.ts`).
 */
import type { AddressedMessage, LayerReportMessage, PressureReason } from '../../protocol/messages.ts';
import { SFU_ROUTES } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import type { SfuError } from '../sfu/errors.ts';
import type { JanusPool } from '../sfu/janus-pool.ts';
import type { LayerCounts, MediaPath, MediaReport, Refusal, RoomView, Sender } from './media-path.ts';
import { MeshMediaPath } from './mesh.ts';
import { SfuRoom } from './sfu-room.ts';
import type { RoomLog } from './sfu-sites.ts';

/**
 * Mesh watchers from which a broadcaster's `qualityLimited` escalates the room: with one, the SFU would not lighten
 * the broadcaster's load (it encodes once either way, and simulcast costs more).
 */
export const MIN_WATCHERS_TO_RELIEVE = 2;

export interface EscalatingOptions {
  bus: Bus;
  /** The Janus instances rooms are placed on. */
  pool: JanusPool;
  /** Watchers a room serves peer to peer; one more escalates it (`MESH_MAX_VIEWERS`). */
  meshMaxViewers: number;
  /** Subscriptions per Janus instance before a room cascades to another (`JANUS_MAX_VIEWERS`; 0: never). */
  instanceMaxViewers?: number;
  /** Told when a room escalates, moves, cascades, falls back, or the SFU refuses it. */
  log: RoomLog;
}

/** What the path knows of one room beyond the room itself. */
interface RoomMedia {
  view: RoomView;
  /** Watchers the broadcaster serves peer to peer (asked on the mesh and not hung up). */
  mesh: Set<string>;
  sfu: SfuRoom | null;
  /** Fell back from the SFU: escalate again when Janus is back. */
  awaitingSfu: boolean;
  /** See `escalateNow`: set for a WHIP publisher's room. */
  publisherSilenceMs?: number | undefined;
}

export class EscalatingMediaPath implements MediaPath {
  readonly #mesh: MeshMediaPath;
  readonly #rooms = new Map<string, RoomMedia>();
  readonly #switches = { up: 0, down: 0 };
  readonly #o: EscalatingOptions;

  constructor(options: EscalatingOptions) {
    this.#o = options;
    this.#mesh = new MeshMediaPath(options.bus);
    options.pool.on('up', () => {
      for (const media of this.#rooms.values()) if (media.awaitingSfu) this.#escalate(media, 'the SFU is back');
    });
  }

  /** Whether the SFU can take a room now. */
  get #sfuUp(): boolean {
    return this.#o.pool.anyUp;
  }

  watcherJoined(room: RoomView, watcherId: string): void {
    if (room.live && room.broadcasterId) this.#ask(this.#media(room), watcherId);
  }

  signal(room: RoomView, from: Sender, message: AddressedMessage): Refusal | null {
    // No broadcaster, nothing to escalate (and nothing kept for a room that may be about to go).
    if (room.broadcasterId === null) return this.#mesh.signal(room, from, message);
    const media = this.#media(room);
    const sfu = media.sfu;
    if (sfu && message.to === sfu.peerId) return this.#toSfu(sfu, from, message);
    // A watcher hanging up on an SFU peer that is gone (the room fell back): nothing is left to free.
    if (message.type === 'hangup' && message.to !== room.broadcasterId) return null;
    if (message.type === 'getBroadcast' && from.role === 'watcher' && message.to === room.broadcasterId) {
      this.#ask(media, from.id);
      return null;
    }
    const refusal = this.#mesh.signal(room, from, message);
    if (!refusal && message.type === 'hangup' && media.mesh.delete(from.id)) this.#audienceChanged(media);
    return refusal;
  }

  watcherLeft(room: RoomView, watcherId: string): void {
    const media = this.#rooms.get(room.name);
    media?.sfu?.removeWatcher(watcherId);
    media?.mesh.delete(watcherId);
    this.#mesh.watcherLeft(room, watcherId);
    if (media) this.#audienceChanged(media);
  }

  broadcasterLeft(room: RoomView): void {
    this.#rooms.get(room.name)?.sfu?.close();
    this.#rooms.delete(room.name);
  }

  qualityLimited(room: RoomView, reason: PressureReason): void {
    const media = this.#rooms.get(room.name);
    if (!media || media.view !== room || media.sfu || !this.#sfuUp || media.mesh.size < MIN_WATCHERS_TO_RELIEVE) return;
    this.#escalate(media, `the broadcaster cannot hold full quality (${reason})`);
  }

  /**
   * Move a live room to the SFU now, whatever its audience: a WHIP publisher (`server/whip/`) sends one stream and
   * cannot serve watchers peer to peer.
   * @param options `publisherSilenceMs`: end the room's SFU use when Janus receives no video from the publisher for
   *                this long (see `SfuRoomOptions.publisherSilenceMs`)
   * @returns whether the room is on the SFU (false: not live, or the SFU is down)
   */
  escalateNow(room: RoomView, options: { publisherSilenceMs?: number } = {}): boolean {
    const media = this.#media(room);
    media.publisherSilenceMs = options.publisherSilenceMs;
    if (!media.sfu) this.#escalate(media, 'a WHIP publisher');
    return media.sfu !== null;
  }

  report(name: string, watchers: number): MediaReport {
    const media = this.#rooms.get(name);
    if (!media?.sfu) return { path: 'mesh', viewers: { mesh: media ? media.mesh.size : watchers, sfu: 0 } };
    return { path: 'sfu', viewers: { mesh: media.mesh.size, sfu: media.sfu.watchers } };
  }

  layerReport(room: RoomView, watcherId: string, report: LayerReportMessage): void {
    const media = this.#rooms.get(room.name);
    if (media?.view === room) media.sfu?.layerReport(watcherId, report);
  }

  layers(): LayerCounts {
    const watchers = new Map<string, number>();
    for (const media of this.#rooms.values()) media.sfu?.countLayers(watchers);
    return { watchers, switches: { ...this.#switches } };
  }

  #media(room: RoomView): RoomMedia {
    let media = this.#rooms.get(room.name);
    if (!media || media.view !== room) {
      media = { view: room, mesh: new Set(), sfu: null, awaitingSfu: false };
      this.#rooms.set(room.name, media);
    }
    return media;
  }

  /** A watcher asks for the broadcast: through the SFU when the room is (or now becomes) escalated, else the mesh. */
  #ask(media: RoomMedia, watcherId: string): void {
    if (!media.sfu && this.#sfuUp && media.view.watcherCount > this.#o.meshMaxViewers) this.#escalate(media, 'MESH_MAX_VIEWERS exceeded');
    if (media.sfu) return media.sfu.addWatcher(watcherId);
    if (media.awaitingSfu && media.mesh.size >= this.#o.meshMaxViewers) {
      return this.#o.bus.toPeer(media.view.name, watcherId, { type: 'mediaPath', path: 'reconnecting' });
    }
    media.mesh.add(watcherId);
    this.#o.bus.toBroadcaster(media.view.name, { type: 'getBroadcast', from: watcherId });
    this.#audienceChanged(media);
  }

  /** Media signalling addressed to the SFU peer: only what {@link SFU_ROUTES} lets the sender's role send. */
  #toSfu(sfu: SfuRoom, from: Sender, message: AddressedMessage): Refusal | null {
    const allowed = (SFU_ROUTES as Partial<Record<string, string>>)[message.type];
    if (allowed !== from.role) {
      return { code: 'forbidden', detail: `A ${from.role} may not send "${message.type}" to the media server.` };
    }
    if (from.role === 'watcher' && !sfu.has(from.id)) {
      return { code: 'peer_not_found', detail: `${message.type}: the media server has no subscription for you.` };
    }
    switch (message.type) {
      case 'offer':
        sfu.publish(message.sdp);
        break;
      case 'iceOfferCandidate':
        sfu.publisherCandidate(message.candidate);
        break;
      case 'answer':
        sfu.answer(from.id, message.sdp);
        break;
      case 'iceAnswerCandidate':
        sfu.watcherCandidate(from.id, message.candidate);
        break;
      case 'hangup':
        sfu.removeWatcher(from.id);
        break;
    }
    return null;
  }

  /** Escalate: a new SFU room; every watcher of the room will get the SFU's offer once the publication is up. */
  #escalate(media: RoomMedia, reason: string): void {
    const room = media.view;
    const origin = this.#o.pool.leastLoaded();
    if (!room.live || !room.broadcasterId || !origin) return;
    media.awaitingSfu = false;
    const sfu: SfuRoom = new SfuRoom({
      room: room.name,
      origin,
      pool: this.#o.pool,
      instanceMaxViewers: this.#o.instanceMaxViewers ?? 0,
      log: this.#o.log,
      bus: this.#o.bus,
      onFailure: (error) => this.#fallBack(media, sfu, error),
      onAudience: () => this.#audienceChanged(media),
      onLayerSwitch: (direction) => void (this.#switches[direction] += 1),
      ...(media.publisherSilenceMs === undefined ? {} : { publisherSilenceMs: media.publisherSilenceMs }),
    });
    media.sfu = sfu;
    this.#o.log.info({ room: room.name, watchers: room.watcherCount, janus: origin.name, reason }, 'room escalates to the SFU');
    sfu.start();
    for (const id of room.watcherIds()) sfu.addWatcher(id);
  }

  /** Back to the mesh: keep the mesh watchers, move others up to the mesh's capacity, tell the rest to wait. */
  #fallBack(media: RoomMedia, sfu: SfuRoom, error: SfuError): void {
    if (media.sfu !== sfu || this.#rooms.get(media.view.name) !== media) return;
    media.sfu = null;
    const room = media.view;
    if (error.code === 'sfu_unavailable' && this.#o.pool.leastLoaded()) {
      this.#o.log.warn({ room: room.name, janus: sfu.origin.name, err: error.message }, 'room moves to another Janus instance');
      return this.#escalate(media, `Janus instance ${sfu.origin.name} lost`);
    }
    // A refusal while Janus is up would repeat: wait for Janus's next session only when it was lost.
    media.awaitingSfu = error.code === 'sfu_unavailable';
    this.#o.log.warn({ room: room.name, code: error.code, err: error.message }, 'room falls back to the mesh');
    if (error.code !== 'sfu_unavailable') this.#o.bus.toBroadcaster(room.name, { type: 'error', code: error.code, message: error.message });
    for (const id of room.watcherIds()) {
      if (media.mesh.has(id)) continue;
      if (media.mesh.size < this.#o.meshMaxViewers) {
        media.mesh.add(id);
        this.#o.bus.toPeer(room.name, id, { type: 'mediaPath', path: 'mesh' });
        this.#o.bus.toBroadcaster(room.name, { type: 'getBroadcast', from: id });
      } else {
        this.#o.bus.toPeer(room.name, id, { type: 'mediaPath', path: 'reconnecting' });
      }
    }
    this.#audienceChanged(media);
  }

  /** Tell the broadcaster its room's path and how many watchers are on each. */
  #audienceChanged(media: RoomMedia): void {
    const { path, viewers } = this.report(media.view.name, media.view.watcherCount);
    this.#o.bus.toBroadcaster(media.view.name, { type: 'mediaPath', path, viewers });
  }
}
