/**
 * A media path: how a watcher gets the broadcaster's media. The relay's handlers hand every media-signalling event
 * to the room's media path and never branch on which one it is.
 *
 * Implementations: {@link MeshMediaPath} (`mesh.ts`), the broadcaster's browser sends to each watcher over its own
 * peer connection and the server only relays the offer, the answer and the trickled ICE candidates between them
 * (JSEP, RFC 8829; trickle ICE, RFC 8838); {@link EscalatingMediaPath} (`escalating.ts`), a room starts as that
 * mesh and escalates to the SFU (Janus) past `MESH_MAX_VIEWERS`: the server negotiates with Janus for both sides,
 * the broadcaster publishes once and each watcher subscribes.
 */
import type { AddressedMessage, LayerReportMessage, PressureReason, Role } from '../../protocol/messages.ts';
import type { ErrorCode } from '../../protocol/errors.ts';

/** What a media path may read of a room (the relay's `Room` is one). */
export interface RoomView {
  readonly name: string;
  /** The broadcaster has sent `broadcastAvailable`: it has media and answers `getBroadcast`. */
  readonly live: boolean;
  /** The broadcaster's peer id, or null when the room has none. */
  readonly broadcasterId: string | null;
  /** Whether `id` is a watcher of this room. */
  hasWatcher(id: string): boolean;
  /** The ids of the room's watchers, on every node of a cluster (this node's first, in the order they joined). */
  watcherIds(): IterableIterator<string>;
  readonly watcherCount: number;
}

/** How a room's media flows now, for `/api/rooms`, `/metrics` and `/status`. */
export interface MediaReport {
  path: 'mesh' | 'sfu';
  /** Watchers served peer to peer by the broadcaster, and through the SFU. */
  viewers: { mesh: number; sfu: number };
}

/** The sender of a media-signalling message: its server-assigned id and its role. */
export interface Sender {
  readonly id: string;
  readonly role: Role;
}

/** Why a media-signalling message was not delivered: a catalogue code and a precise human message. */
export interface Refusal {
  code: ErrorCode;
  detail: string;
}

export interface MediaPath {
  /**
   * A watcher asks for the broadcast without a `getBroadcast` of its own: its `join` said `getBroadcast: true` (the
   * fast join, see docs/protocol.md). Does nothing when the room is not live.
   */
  watcherJoined(room: RoomView, watcherId: string): void;
  /**
   * Deliver one media-signalling message of the room (`getBroadcast`, `offer`, `answer`, `iceOfferCandidate`,
   * `iceAnswerCandidate`), re-addressed by the server: `from` is stamped with the sender's id.
   *
   * @returns null when delivered; a {@link Refusal} (`peer_not_found`) when `to` names no peer of the room that the
   *   sender's role may address
   */
  signal(room: RoomView, from: Sender, message: AddressedMessage): Refusal | null;
  /** A watcher left the room: stop sending to it (mesh: tell the broadcaster `watcherLeft`). */
  watcherLeft(room: RoomView, watcherId: string): void;
  /** The room's broadcaster left (its media is gone): free what the room held on the media path's side. */
  broadcasterLeft(room: RoomView): void;
  /**
   * The broadcaster's adaptation stepped the room down because it could not hold full quality (`qualityLimited`):
   * a path that can take the load off the broadcaster may act on it (the mesh cannot; the SFU path escalates).
   */
  qualityLimited(room: RoomView, reason: PressureReason): void;
  /** How the media of room `name` flows now. */
  report(name: string, watchers: number): MediaReport;
  /**
   * A watcher's `layerReport` (how its video plays): on the SFU it may change the simulcast layer the watcher gets.
   * Paths without layers (the mesh) leave it out; a report from a watcher not on the SFU is ignored.
   */
  layerReport?(room: RoomView, watcherId: string, report: LayerReportMessage): void;
  /** SFU watchers per layer (by height label, e.g. `360p`) and the layer switches so far, for `/metrics`. */
  layers?(): LayerCounts;
}

/** What `/metrics` shows of the SFU's simulcast layers. */
export interface LayerCounts {
  /** Watchers per layer label (`180p`, `360p`, `720p`; `unknown` before a watcher's first report). */
  watchers: Map<string, number>;
  /** Layer switches since start: to a lower layer (`down`) or a higher one (`up`). */
  switches: { up: number; down: number };
}
