/**
 * The OnAir signalling protocol: every message that crosses the `/ws` relay, as one tagged union per direction,
 * each checked at runtime by a zod schema before anything reads it. Imported by the server, both pages and the CLI.
 * `docs/protocol.md` documents it with an example of every message.
 *
 * Transport: JSON text frames over one WebSocket (RFC 6455). SDP follows JSEP (RFC 8829); ICE candidates are
 * trickled (RFC 8838) in the shape of `RTCIceCandidateInit` (RFC 8445 candidate lines).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { ERROR_CODES } from './errors.ts';

// zod/mini keeps the pages' bundle small; the English locale gives readable rejection details.
z.config(en());

/** Room names: 1–64 of `A–Z a–z 0–9 _ -`. */
export const RoomName = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'room: 1-64 of A-Z a-z 0-9 _ -'));
/** Peer ids are assigned by the server: 22 base64url characters (128 random bits). */
export const PeerId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'peer id: 8-64 of A-Z a-z 0-9 _ -'));
export const Role = z.enum(['broadcaster', 'watcher']);
export type Role = z.infer<typeof Role>;

/** Upper bounds that keep one message small; a Chrome audio+video offer is about 5 KB. */
export const LIMITS = {
  sdpBytes: 32 * 1024,
  sdpLines: 1000,
  candidateBytes: 1024,
  tokenBytes: 4096,
  /** `chat.text`, in characters (UTF-16 code units). */
  chatChars: 500,
  /** `chat.name`, the display name chosen on the page, in characters. */
  chatNameChars: 32,
  /** Chat messages a room keeps and sends to each new joiner in `chatHistory`. */
  chatHistory: 50,
  /** Chat rate limit per sender: a burst of this many messages... */
  chatBurst: 5,
  /** ...refilled at this many messages per minute. */
  chatPerMinute: 30,
  /** Watchers in one `stats` report. */
  statsWatchers: 256,
  /** `layerReport` rate limit per watcher: a burst of this many reports... */
  layerReportBurst: 4,
  /** ...refilled at this many per second. */
  layerReportsPerS: 2,
} as const;

const Sdp = z.string().check(
  z.minLength(1),
  z.maxLength(LIMITS.sdpBytes),
  z.refine((sdp) => sdp.split('\n').length <= LIMITS.sdpLines, `sdp: at most ${LIMITS.sdpLines} lines`),
);

/** A trickled ICE candidate, as `RTCIceCandidate.toJSON()` gives it (RFC 8445 candidate attribute). */
export const IceCandidate = z.strictObject({
  candidate: z.string().check(z.maxLength(LIMITS.candidateBytes)),
  sdpMid: z.nullish(z.string().check(z.maxLength(64))),
  sdpMLineIndex: z.nullish(z.int().check(z.minimum(0), z.maximum(1023))),
  usernameFragment: z.nullish(z.string().check(z.maxLength(256))),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

/** One `RTCIceServer` (STUN or TURN URL list with optional credentials). */
export const IceServer = z.strictObject({
  urls: z.array(z.string().check(z.maxLength(512))).check(z.minLength(1), z.maxLength(16)),
  username: z.optional(z.string().check(z.maxLength(512))),
  credential: z.optional(z.string().check(z.maxLength(512))),
});
export type IceServer = z.infer<typeof IceServer>;

// ---- Client → server --------------------------------------------------------------------------------------------

const Join = z.strictObject({
  type: z.literal('join'),
  room: z._default(RoomName, 'main'),
  role: Role,
  token: z.optional(z.string().check(z.maxLength(LIMITS.tokenBytes))),
  /**
   * Watchers only (ignored for a broadcaster): when the room is live, count this `join` as the watcher's first
   * `getBroadcast`, so the offer comes without another round trip. The watcher then must not send `getBroadcast`
   * for the broadcaster named in `joined.broadcaster` (it would get a second offer).
   */
  getBroadcast: z.optional(z.boolean()),
  /**
   * Resume: the `resumeToken` of an earlier connection (from its `joined` or latest `resumeToken`). A valid one gives
   * this connection the same peer id, room and role, so the peer connections made under it carry on; a forged or
   * expired one is refused with `resume_invalid` / `resume_expired` and the connection stays open for a fresh `join`.
   */
  resume: z.optional(z.string().check(z.maxLength(LIMITS.tokenBytes))),
});
const BroadcastAvailableOut = z.strictObject({ type: z.literal('broadcastAvailable') });
const GetBroadcastOut = z.strictObject({ type: z.literal('getBroadcast'), to: PeerId });
const OfferOut = z.strictObject({ type: z.literal('offer'), to: PeerId, sdp: Sdp });
const AnswerOut = z.strictObject({ type: z.literal('answer'), to: PeerId, sdp: Sdp });
const IceOfferCandidateOut = z.strictObject({ type: z.literal('iceOfferCandidate'), to: PeerId, candidate: IceCandidate });
const IceAnswerCandidateOut = z.strictObject({ type: z.literal('iceAnswerCandidate'), to: PeerId, candidate: IceCandidate });
export /** "I closed my peer connection with `to`": a watcher whose media now comes from another peer (the SFU). */
const HangupOut = z.strictObject({ type: z.literal('hangup'), to: PeerId });
export const ChatText = z.string().check(
  z.maxLength(LIMITS.chatChars),
  z.refine((text) => text.trim().length > 0, 'text: must not be blank'),
);
export const ChatName = z.string().check(z.minLength(1), z.maxLength(LIMITS.chatNameChars));
const ChatOut = z.strictObject({ type: z.literal('chat'), text: ChatText, name: z.optional(ChatName) });
const ChatSettings = z.strictObject({ type: z.literal('chatSettings'), enabled: z.boolean() });
/** One watcher's connection as the broadcaster's `getStats()` sees it (W3C webrtc-stats), for `/metrics`. */
export const WatcherStats = z.strictObject({
  id: PeerId,
  state: z.enum(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']),
  candidateType: z.nullable(z.enum(['host', 'srflx', 'prflx', 'relay'])),
  /** Round-trip time of the selected ICE candidate pair, in ms. */
  rttMs: z.nullable(z.number().check(z.minimum(0), z.maximum(600_000))),
  /** Outgoing video bitrate to this watcher, in kbit/s. */
  bitrateKbps: z.number().check(z.minimum(0), z.maximum(10_000_000)),
  /** Frames per second sent to this watcher. */
  fps: z.number().check(z.minimum(0), z.maximum(1000)),
});
export type WatcherStats = z.infer<typeof WatcherStats>;
const StatsOut = z.strictObject({ type: z.literal('stats'), watchers: z.array(WatcherStats).check(z.maxLength(LIMITS.statsWatchers)) });
/**
 * Why the broadcaster's adaptation stepped its room down: `cpu`, an encoder said it is CPU-limited (W3C webrtc-stats
 * `qualityLimitationReason`); `framerate`, a sender fell below 0.85× its target frame rate.
 */
export const PressureReason = z.enum(['cpu', 'framerate']);
export type PressureReason = z.infer<typeof PressureReason>;
/** The broadcaster's adaptation could not hold full quality for its mesh watchers and stepped down one rung. */
const QualityLimitedOut = z.strictObject({ type: z.literal('qualityLimited'), reason: PressureReason });
const between = (min: number, max: number) => z.number().check(z.minimum(min), z.maximum(max));
const intBetween = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
/**
 * A watcher on the SFU tells the server how its video plays, over the interval since its previous report (about a
 * second; at most {@link LIMITS.layerReportsPerS} a second): from its video `inbound-rtp` stats (W3C webrtc-stats)
 * and its player. The server picks its simulcast layer from these (`server/media/layer-policy.ts`).
 */
export const LayerReportOut = z.strictObject({
  type: z.literal('layerReport'),
  /** Packets lost / (lost + received) in the interval, %. */
  lossPercent: between(0, 100),
  /** `freezeCount` and `totalFreezesDuration` increments in the interval (count; ms). */
  freezes: intBetween(0, 10_000),
  freezeMs: between(0, 3_600_000),
  /** `framesDropped` increment in the interval. */
  framesDropped: intBetween(0, 1_000_000),
  /** Mean `jitterBufferDelay` per emitted frame in the interval, ms. */
  jitterBufferMs: between(0, 600_000),
  /** Its bandwidth estimate, kbit/s (`availableIncomingBitrate`, or received against sent); null when it has none. */
  bandwidthKbps: z.nullable(between(0, 10_000_000)),
  /** The video's displayed height in device pixels (CSS px × devicePixelRatio); 0 when hidden or in a background tab. */
  displayHeight: intBetween(0, 16_384),
  /** The height of the frames it decodes now (`inbound-rtp.frameHeight`), px; null before the first. */
  frameHeight: z.nullable(intBetween(0, 16_384)),
});
export type LayerReportMessage = z.infer<typeof LayerReportOut>;

/** Every message a client may send, keyed on `type`. */
export const ClientMessage = z.discriminatedUnion('type', [
  Join,
  BroadcastAvailableOut,
  GetBroadcastOut,
  OfferOut,
  AnswerOut,
  IceOfferCandidateOut,
  IceAnswerCandidateOut,
  HangupOut,
  ChatOut,
  ChatSettings,
  StatsOut,
  QualityLimitedOut,
  LayerReportOut,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export type JoinMessage = z.infer<typeof Join>;
/** Client messages the server relays to one peer (those with `to`). */
export type AddressedMessage = Extract<ClientMessage, { to: string }>;

/**
 * Who may send each relayed message type, and to whom. `to: "room"` means every watcher of the sender's room;
 * `"all"` the broadcaster and every watcher; `"server"` that the server keeps it. `from: "any"` means either role.
 * A watcher can address only its room's broadcaster; the broadcaster only watchers of its room.
 */
export const ROUTES = {
  broadcastAvailable: { from: 'broadcaster', to: 'room' },
  getBroadcast: { from: 'watcher', to: 'broadcaster' },
  offer: { from: 'broadcaster', to: 'watcher' },
  answer: { from: 'watcher', to: 'broadcaster' },
  iceOfferCandidate: { from: 'broadcaster', to: 'watcher' },
  iceAnswerCandidate: { from: 'watcher', to: 'broadcaster' },
  hangup: { from: 'watcher', to: 'broadcaster' },
  chat: { from: 'any', to: 'all' },
  chatSettings: { from: 'broadcaster', to: 'all' },
  stats: { from: 'broadcaster', to: 'server' },
  qualityLimited: { from: 'broadcaster', to: 'server' },
  layerReport: { from: 'watcher', to: 'server' },
} as const satisfies Record<Exclude<ClientMessageType, 'join'>, { from: Role | 'any'; to: Role | 'room' | 'all' | 'server' }>;

/**
 * The media signalling a peer may address to its room's SFU peer (the server's stand-in for the media server, named
 * in `publish` and in its offers) instead of a peer of the other role, and the role that may: the broadcaster
 * publishes (its offer and ICE candidates), a watcher subscribes (its answer and ICE candidates) and hangs up.
 * Anything else addressed to the SFU peer, or from the other role, is refused (`forbidden`).
 */
export const SFU_ROUTES = {
  offer: 'broadcaster',
  iceOfferCandidate: 'broadcaster',
  answer: 'watcher',
  iceAnswerCandidate: 'watcher',
  hangup: 'watcher',
} as const satisfies Partial<Record<AddressedMessage['type'], Role>>;

/**
 * How media reaches a peer: `mesh`, peer to peer from the broadcaster; `sfu`, through the media server;
 * `reconnecting`, a watcher waiting for the media server to come back (its picture may have stopped).
 */
export const MediaPathName = z.enum(['mesh', 'sfu', 'reconnecting']);
export type MediaPathName = z.infer<typeof MediaPathName>;

/** Why a watcher on the SFU gets its layer: the top one (`best`), or what holds it lower. */
export const LayerReason = z.enum(['best', 'small player', 'hidden', 'bandwidth', 'loss', 'freezes']);
export type LayerReason = z.infer<typeof LayerReason>;
/** The simulcast layer a watcher gets through the SFU: substream (0 lowest), temporal layer (0 lowest frame rate), height (px). */
export const Layer = z.strictObject({
  substream: intBetween(0, 2),
  temporal: intBetween(0, 2),
  height: intBetween(0, 16_384),
  reason: LayerReason,
});
export type Layer = z.infer<typeof Layer>;

// ---- Server → client --------------------------------------------------------------------------------------------

const From = { from: PeerId };
const Joined = z.strictObject({
  type: z.literal('joined'),
  id: PeerId,
  room: RoomName,
  role: Role,
  iceServers: z.array(IceServer).check(z.maxLength(16)),
  iceTransportPolicy: z.enum(['all', 'relay']),
  broadcaster: z.nullable(PeerId),
  /** True when this `join` resumed an earlier connection's identity (keep the peer connections). */
  resumed: z.boolean(),
});
/**
 * The token to send as `join.resume` after a lost connection: right after `joined`, then a fresh one every third of
 * its lifetime while connected.
 */
const ResumeToken = z.strictObject({ type: z.literal('resumeToken'), token: z.string().check(z.minLength(1), z.maxLength(LIMITS.tokenBytes)) });
const BroadcastAvailableIn = z.strictObject({ type: z.literal('broadcastAvailable'), ...From });
const GetBroadcastIn = z.strictObject({ type: z.literal('getBroadcast'), ...From });
const OfferIn = z.strictObject({ type: z.literal('offer'), ...From, sdp: Sdp });
const AnswerIn = z.strictObject({ type: z.literal('answer'), ...From, sdp: Sdp });
const IceOfferCandidateIn = z.strictObject({ type: z.literal('iceOfferCandidate'), ...From, candidate: IceCandidate });
const IceAnswerCandidateIn = z.strictObject({ type: z.literal('iceAnswerCandidate'), ...From, candidate: IceCandidate });
const HangupIn = z.strictObject({ type: z.literal('hangup'), ...From });
/** To the broadcaster: offer to the SFU peer `from` to publish (once, simulcast where the resolution allows). */
const Publish = z.strictObject({ type: z.literal('publish'), ...From });
/**
 * Where this peer's media goes now. To the broadcaster: the room's path, and how many watchers are on each
 * (a watcher moving to the SFU counts on both until it hangs up its mesh connection). To a watcher: its own path.
 */
const MediaPath = z.strictObject({
  type: z.literal('mediaPath'),
  path: MediaPathName,
  viewers: z.optional(z.strictObject({ mesh: z.int().check(z.minimum(0)), sfu: z.int().check(z.minimum(0)) })),
});
const WatcherLeft = z.strictObject({ type: z.literal('watcherLeft'), id: PeerId });
/** To a watcher on the SFU: the layer it gets now, and why (after its first `layerReport`, then at every change). */
const LayerIn = z.strictObject({ type: z.literal('layer'), ...Layer.shape });
/** To the broadcaster: the layer SFU watcher `id` gets now; null when it left the SFU. */
const WatcherLayer = z.strictObject({ type: z.literal('watcherLayer'), id: PeerId, layer: z.nullable(Layer) });
const BroadcastEnded = z.strictObject({ type: z.literal('broadcastEnded'), id: PeerId });
const ViewerCount = z.strictObject({ type: z.literal('viewerCount'), count: z.int().check(z.minimum(0)) });
/** A chat message as the server relays it: sender id, role and time stamped by the server. */
export const ChatEntry = z.strictObject({
  type: z.literal('chat'),
  ...From,
  role: Role,
  name: ChatName,
  text: ChatText,
  /** When the server received it, in ms since the Unix epoch. */
  at: z.int().check(z.minimum(0)),
});
export type ChatEntry = z.infer<typeof ChatEntry>;
const ChatHistory = z.strictObject({
  type: z.literal('chatHistory'),
  enabled: z.boolean(),
  messages: z.array(ChatEntry).check(z.maxLength(LIMITS.chatHistory)),
});
const ErrorMessage = z.strictObject({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string().check(z.maxLength(1024)),
});

/** Every message the server may send, keyed on `type`. Relayed messages carry `from`, stamped by the server. */
export const ServerMessage = z.discriminatedUnion('type', [
  Joined,
  BroadcastAvailableIn,
  GetBroadcastIn,
  OfferIn,
  AnswerIn,
  IceOfferCandidateIn,
  IceAnswerCandidateIn,
  HangupIn,
  Publish,
  MediaPath,
  WatcherLeft,
  LayerIn,
  WatcherLayer,
  BroadcastEnded,
  ViewerCount,
  ChatEntry,
  ChatHistory,
  ChatSettings,
  ResumeToken,
  ErrorMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];
/** The server message of type `T`, e.g. `ServerMessageOf<"offer">`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
/** The client message of type `T`, e.g. `ClientMessageOf<"answer">`. */
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
