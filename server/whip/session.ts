/**
 * One WHIP session (RFC 9725): an encoder (OBS, GStreamer, a WHIP web client) publishing into a room through the SFU.
 *
 * To the relay the encoder is the room's broadcaster, a {@link Peer} like a page's: it joins with `join()` (so the
 * takeover policy, `/api/rooms`, `/metrics` and the watchers' pages treat it as any broadcaster), and leaves with
 * `leave()` (watchers are told `broadcastEnded`). Its "socket" is a {@link SessionSocket}: the server messages a page
 * broadcaster would read come to this object instead, which answers them as the page would for a room on the SFU:
 * `publish` from the SFU peer → the encoder's offer to it; `answer` → the HTTP response's SDP. A WHIP publisher sends
 * one stream and cannot serve watchers peer to peer, so its room goes to the SFU at once, and when the room falls
 * back to the mesh (Janus lost or refusing), or the room's media path asks it for the mesh (`getBroadcast`), the
 * session ends.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type WebSocket from 'ws';
import { ERRORS, type ErrorCode } from '../../protocol/errors.ts';
import { IceCandidate, type ServerMessage } from '../../protocol/messages.ts';
import type { RoomView } from '../media/media-path.ts';
import { join, leave } from '../signaling/join.ts';
import { newPeerId, Peer } from '../signaling/peer.ts';
import type { Relay } from '../signaling/relay.ts';
import type { FragCandidate } from './sdp.ts';

/** How long the SFU has to answer an offer before the POST fails with `sfu_unavailable`, ms. */
export const ANSWER_TIMEOUT_MS = 15_000;

/**
 * How long Janus may receive no video from the encoder before the session ends as if it had sent its DELETE, ms: an
 * encoder that crashed, lost its network or was closed without stopping leaves no other sign (WHIP has no socket, and
 * this Janus runs no ICE consent checks).
 */
export const PUBLISHER_SILENCE_MS = 10_000;

/** A WHIP request that failed: a catalogue code and a precise message. */
export class WhipError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, detail: string = ERRORS[code].message) {
    super(detail);
    this.name = 'WhipError';
    this.code = code;
  }
}

/**
 * Moves a live room to the SFU now, to end its SFU use when its publisher sends no video for `publisherSilenceMs`;
 * false when the SFU cannot take it (`EscalatingMediaPath.escalateNow`).
 */
export type Escalate = (room: RoomView, options: { publisherSilenceMs: number }) => boolean;

/**
 * The WebSocket a {@link Peer} writes to, for a peer with no socket: each frame the relay sends is handed, parsed, to
 * `onMessage`, at once; `close()` (a `Peer.fail` with a closing code) calls `onClose` once.
 */
class SessionSocket {
  readonly OPEN = 1;
  readyState = 1;
  readonly bufferedAmount = 0;
  constructor(
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onClose: () => void,
  ) {}
  send(frame: string): void {
    this.onMessage(JSON.parse(frame) as ServerMessage);
  }
  close(): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 3;
    this.onClose();
  }
  terminate(): void {
    this.close();
  }
}

/** No TCP socket under a {@link SessionSocket}: corking is nothing. */
const NO_TCP = { cork() {}, uncork() {} } as unknown as Duplex;

export interface WhipSessionOptions {
  relay: Relay;
  escalate: Escalate;
  room: string;
  /** The ICE username fragment of the encoder's offer (a PATCH with another one asks for an ICE restart). */
  iceUfrag: string;
  log: FastifyBaseLogger;
  /** Called once when the session ends, whatever ended it. */
  onEnd: (session: WhipSession) => void;
}

export class WhipSession {
  /** The resource id in its URL (`/whip/<room>/<id>`): 128 random bits. */
  readonly id = newPeerId();
  /** The resource's entity tag (RFC 9110 §8.8.3), quoted. It never changes: ICE restarts are not supported. */
  readonly etag = `"${randomBytes(12).toString('base64url')}"`;
  readonly peer: Peer;
  readonly #o: WhipSessionOptions;
  #sfuPeer: string | null = null;
  #offer: string | null = null;
  #published = false;
  #ended = false;
  /** The last error the relay sent the peer (`broadcaster_exists`, `sfu_*`...). */
  #lastError: { code: ErrorCode; message: string } | null = null;
  #answered: { resolve(sdp: string): void; reject(err: WhipError): void } | null = null;

  constructor(options: WhipSessionOptions) {
    this.#o = options;
    const socket = new SessionSocket(
      (message) => this.#onMessage(message),
      () => this.end('closed by the relay'),
    );
    this.peer = new Peer(socket as unknown as WebSocket, NO_TCP, options.log, undefined, (code) => options.relay.counters?.rejected(code));
  }

  get room(): string {
    return this.#o.room;
  }

  get iceUfrag(): string {
    return this.#o.iceUfrag;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Join the room as its broadcaster, move the room to the SFU and publish `offer` into it; once Janus has answered,
   * watchers are told `broadcastAvailable`.
   *
   * @returns Janus's answer (the HTTP response body)
   * @throws WhipError `broadcaster_exists` (the room has one and takeover is off), `sfu_unavailable` (no SFU now, or
   *   no answer within {@link ANSWER_TIMEOUT_MS}), `sfu_bad_sdp`/`sfu_refused` (Janus refused the offer); the session
   *   has ended then
   */
  async publish(offer: string): Promise<string> {
    const { relay } = this.#o;
    this.#offer = offer;
    const answered = new Promise<string>((resolve, reject) => (this.#answered = { resolve, reject }));
    answered.catch(() => {}); // awaited only once the room is on the SFU; a refusal before that is thrown below
    if (!join(relay, this.peer, { type: 'join', room: this.#o.room, role: 'broadcaster' }, { resumed: false })) {
      this.end('not admitted');
      throw new WhipError(this.#lastError?.code ?? 'broadcaster_exists');
    }
    const room = relay.rooms.get(this.#o.room)!;
    room.goLive();
    if (!this.#o.escalate(room, { publisherSilenceMs: PUBLISHER_SILENCE_MS })) {
      this.end('no SFU');
      throw new WhipError('sfu_unavailable');
    }
    const timer = setTimeout(() => this.#fail(new WhipError('sfu_unavailable', 'the media server did not answer in time')), ANSWER_TIMEOUT_MS);
    try {
      const answer = await answered;
      this.#published = true;
      relay.bus.toWatchers(room.name, { type: 'broadcastAvailable', from: this.peer.id });
      this.peer.log.info('WHIP publisher live');
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Trickle the encoder's ICE candidates to Janus (RFC 8838, from a PATCH's fragment).
   * @throws WhipError `whip_bad_sdp` for a candidate line the protocol's limits refuse
   */
  trickle(candidates: readonly FragCandidate[]): void {
    const to = this.#sfuPeer;
    if (this.#ended || to === null) return;
    for (const c of candidates) {
      const parsed = IceCandidate.safeParse(c);
      if (!parsed.success) throw new WhipError('whip_bad_sdp', `candidate: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      this.#signal({ type: 'iceOfferCandidate', to, candidate: parsed.data });
    }
  }

  /** End the session: the broadcaster leaves its room (watchers told `broadcastEnded`), the SFU room is freed. Idempotent. */
  end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#fail(new WhipError(this.#lastError?.code ?? 'sfu_unavailable', this.#lastError?.message));
    leave(this.#o.relay, this.peer);
    this.peer.log.info({ reason }, 'WHIP session ended');
    this.#o.onEnd(this);
  }

  /**
   * What the relay sends the broadcaster, answered as a page broadcaster on the SFU would: an error is kept at once
   * (a close may follow in the same call), the rest handled on the next microtask, outside the relay's call.
   */
  #onMessage(message: ServerMessage): void {
    if (message.type === 'error') this.#lastError = { code: message.code, message: message.message };
    queueMicrotask(() => this.#handle(message));
  }

  #handle(message: ServerMessage): void {
    if (this.#ended) return;
    switch (message.type) {
      case 'publish':
        this.#sfuPeer = message.from;
        if (this.#offer !== null) this.#signal({ type: 'offer', to: message.from, sdp: this.#offer });
        break;
      case 'answer':
        if (message.from === this.#sfuPeer) {
          this.#answered?.resolve(message.sdp);
          this.#answered = null;
        }
        break;
      case 'error':
        if (message.code.startsWith('sfu_')) this.end(`SFU: ${message.code}`);
        break;
      case 'getBroadcast':
        this.end('the room fell back to the mesh');
        break;
      case 'mediaPath':
        if (message.path === 'mesh') this.end('the room fell back to the mesh');
        break;
      default:
        // joined, viewerCount, chat, watcherLeft, Janus's trickled candidates (its answer carries them): nothing to do.
        break;
    }
  }

  #signal(message: Parameters<Relay['media']['signal']>[2]): void {
    const room = this.#o.relay.rooms.get(this.#o.room);
    if (!room) return;
    const refusal = this.#o.relay.media.signal(room, { id: this.peer.id, role: 'broadcaster' }, message);
    if (refusal) this.peer.log.warn({ code: refusal.code, detail: refusal.detail }, 'WHIP signal refused');
  }

  #fail(error: WhipError): void {
    this.#answered?.reject(error);
    this.#answered = null;
    if (!this.#ended && !this.#published) this.end(error.message);
  }
}
