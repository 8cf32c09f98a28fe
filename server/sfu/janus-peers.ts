/**
 * One Janus VideoRoom handle as one peer connection on Janus's side: a publisher (the broadcaster's upload) or a
 * subscriber (one watcher's download). Each wraps a janode handle, belongs to one connection generation, trickles
 * ICE candidates both ways (RFC 8838) and is left exactly once (`detach`, which also hangs up its PeerConnection), so
 * no handle outlives its peer. Janus refusals reject with {@link SfuError}s.
 *
 * Events: `candidate` (a Janus ICE candidate, or null at its end of candidates: Janus mostly puts its candidates in
 * its SDP, half-trickle), `webrtcup` (ICE and DTLS are up), `video` (Janus started or stopped receiving the
 * peer's video, its lowest simulcast layer: Janus says so after `no_media_timer`, 1 s), `hangup` (reason), `closed`
 * (left, or the connection generation died; after it the peer is unusable).
 */
import { EventEmitter } from 'node:events';
import Janode, { type JanusCandidate } from 'janode';
import type { VideoRoomHandle } from 'janode/plugins/videoroom';
import { fromJanusError, SfuError } from './errors.ts';
import { withTimeout, type JanusConnection } from './janus-connection.ts';

/** An SDP offer or answer (RFC 8829 JSEP) as pages send it. */
export interface SessionDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A trickled ICE candidate as `RTCIceCandidateInit` carries it. */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

export interface JanusPeerEvents {
  candidate: [candidate: IceCandidate | null];
  webrtcup: [];
  video: [receiving: boolean];
  hangup: [reason: string];
  closed: [];
}

/** How long one Janus request may take before the SFU counts as unavailable, ms. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Run a janode call with a timeout; its rejection becomes an {@link SfuError}. */
export async function janusCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(call(), REQUEST_TIMEOUT_MS, what);
  } catch (err) {
    throw fromJanusError(err);
  }
}

/** What publishers and subscribers share: trickle, events, leave. */
export class JanusPeer extends EventEmitter<JanusPeerEvents> {
  protected readonly handle: VideoRoomHandle;
  readonly #connection: JanusConnection;
  readonly #generation: number;
  #closed = false;
  #webrtcUp = false;
  readonly #onDown = ({ generation }: { generation: number }) => {
    if (generation === this.#generation) this.#close();
  };

  constructor(connection: JanusConnection, handle: VideoRoomHandle, generation: number) {
    super();
    this.handle = handle;
    this.#connection = connection;
    this.#generation = generation;
    connection.on('down', this.#onDown);
    handle.on(Janode.EVENT.HANDLE_TRICKLE, (c: { completed?: boolean; candidate?: string; sdpMid?: string; sdpMLineIndex?: number }) =>
      this.emit('candidate', c.completed ? null : { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null }),
    );
    handle.on(Janode.EVENT.HANDLE_WEBRTCUP, () => {
      this.#webrtcUp = true;
      this.emit('webrtcup');
    });
    handle.on(Janode.EVENT.HANDLE_HANGUP, (e: { reason?: string }) => this.emit('hangup', e.reason ?? 'hangup'));
    handle.on(Janode.EVENT.HANDLE_MEDIA, (e: { type?: string; receiving?: boolean; substream?: number }) => {
      // Upper simulcast layers come and go with the sender's bandwidth: only the lowest one says the peer is sending.
      if (e.type === 'video' && typeof e.receiving === 'boolean' && (e.substream ?? 0) === 0) this.emit('video', e.receiving);
    });
    handle.once(Janode.EVENT.HANDLE_DETACHED, () => this.#close());
    if (connection.generation !== generation || connection.state !== 'up') this.#close();
  }

  /** True once left or once its connection generation died. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Resolve once ICE and DTLS are up between Janus and the remote peer (at once if they are). A publisher's feed can
   * be subscribed to only from then on (Janus answers 428 "No such feed" before).
   * @throws SfuError `sfu_unavailable` if the peer closes first
   */
  async whenUp(): Promise<void> {
    if (this.#webrtcUp) return;
    this.assertOpen();
    await new Promise<void>((resolve, reject) => {
      const onUp = () => {
        this.off('closed', onClosed);
        resolve();
      };
      const onClosed = () => {
        this.off('webrtcup', onUp);
        reject(new SfuError('sfu_unavailable', { detail: 'closed before its media was up' }));
      };
      this.once('webrtcup', onUp);
      this.once('closed', onClosed);
    });
  }

  /** Janus's handle id (for logs and the Admin API). */
  get handleId(): number {
    return this.handle.id;
  }

  /**
   * Give Janus one of the remote peer's ICE candidates, or null for its end of candidates.
   * @throws SfuError `sfu_unavailable` when closed; Janus refusals as their codes
   */
  async trickle(candidate: IceCandidate | null): Promise<void> {
    this.assertOpen();
    const c: JanusCandidate = candidate
      ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null }
      : { completed: true };
    await janusCall('trickle', () => this.handle.trickle(c));
  }

  /** Detach the handle (Janus hangs its PeerConnection up and frees it). Idempotent; never throws. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    this.#close();
    await withTimeout(this.handle.detach(), REQUEST_TIMEOUT_MS, 'detach').catch(() => {});
  }

  /** @throws SfuError `sfu_unavailable` if this peer is closed */
  protected assertOpen(): void {
    if (this.#closed) throw new SfuError('sfu_unavailable', { detail: 'this Janus peer is closed' });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.off('down', this.#onDown);
    this.emit('closed');
  }
}

/** The broadcaster's one upload into a Janus room. */
export class JanusPublisher extends JanusPeer {
  /** Janus's answer to the broadcaster's offer. */
  readonly answer: SessionDescription;
  /** This publisher's feed id in its room (what subscribers subscribe to). */
  readonly feed: string;

  constructor(connection: JanusConnection, handle: VideoRoomHandle, generation: number, answer: SessionDescription, feed: string) {
    super(connection, handle, generation);
    this.answer = answer;
    this.feed = feed;
  }

  /**
   * Ask the publisher for a keyframe now (Janus sends it an RTCP PLI, RFC 4585 §6.3.1): what a new subscriber needs
   * to show its first frame without waiting for its own browser to ask.
   * @throws SfuError `sfu_unavailable` when closed; Janus refusals as their codes
   */
  async requestKeyframe(): Promise<void> {
    this.assertOpen();
    await janusCall('keyframe', () => this.handle.configure({ keyframe: true }));
  }
}

/** A simulcast layer index as Janus's VideoRoom names it: 0 lowest resolution … 2 highest. */
export type Substream = 0 | 1 | 2;

/** One watcher's download from a Janus room: Janus offers, the watcher answers. */
export class JanusSubscriber extends JanusPeer {
  /** Janus's offer to the watcher (Janus always offers to subscribers). */
  readonly offer: SessionDescription;
  readonly #videoMid: string | null;

  constructor(connection: JanusConnection, handle: VideoRoomHandle, generation: number, offer: SessionDescription, videoMid: string | null) {
    super(connection, handle, generation);
    this.offer = offer;
    this.#videoMid = videoMid;
  }

  /**
   * Give Janus the watcher's answer; media flows once ICE and DTLS are up (`webrtcup`).
   * @throws SfuError (`sfu_bad_sdp` for an answer Janus cannot use)
   */
  async start(answer: SessionDescription): Promise<void> {
    this.assertOpen();
    if (answer.type !== 'answer') throw new SfuError('sfu_bad_sdp', { detail: 'a subscriber starts with an answer' });
    await janusCall('start', () => this.handle.start({ jsep: { type: 'answer', sdp: answer.sdp } }));
  }

  /**
   * Pick the simulcast layer this watcher receives (Janus switches at the next keyframe, which it asks for), and
   * optionally its temporal layer (0 lowest frame rate … 2 all frames; ignored by Janus when the codec has none).
   * @throws SfuError `sfu_refused` when the subscription has no video
   */
  async configureSubstream(substream: Substream, temporal?: Substream): Promise<void> {
    this.assertOpen();
    const mid = this.#videoMid;
    if (mid === null) throw new SfuError('sfu_refused', { detail: 'no video stream to configure' });
    await janusCall('configure', () => this.handle.configure({ streams: [{ mid, substream, ...(temporal === undefined ? {} : { temporal }) }] }));
  }
}
