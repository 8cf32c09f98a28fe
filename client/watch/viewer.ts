/**
 * The watcher's side of one broadcast: asks the broadcaster for it (`getBroadcast`), answers whoever the server
 * sends an offer from (JSEP, RFC 8829) — the broadcaster on the mesh, or the room's SFU peer, with the same code —
 * trickles ICE both ways, and hands the received stream to the page.
 *
 * Make-before-break: an offer from another peer than the one playing builds a second peer connection; the page keeps
 * the first one's picture until the second has decoded a video frame, then the first is closed and its peer told
 * (`hangup`). {@link Viewer.events} records that order (`decoded` before `closed`) for diagnostics and tests. A
 * second connection that has not decoded within {@link REPLACEMENT_DEADLINE_MS}, or fails, is given up (`abandoned`,
 * and its peer told): the picture shown stays.
 *
 * A connection from the SFU peer that fails, or stays disconnected (the phone changed networks), is healed by asking
 * the broadcaster's room again (`getBroadcast`): the server gives this watcher a new subscription, whose offer
 * replaces the dead connection. (On the mesh the broadcaster, the offerer, restarts ICE itself.)
 */
import type { ServerMessageOf } from '../../protocol/messages.ts';
import { RemoteCandidates, toProtocolCandidate } from '../shared/candidates.ts';
import { IceWatchdog } from '../shared/ice-watchdog.ts';
import type { SignalingClient } from '../shared/signaling.ts';

/** The session id of an SDP's origin line (`o=- <sess-id> <sess-version> …`, RFC 8866 §5.2), or null. */
export function sessionId(sdp: string): string | null {
  return /^o=\S+ (\S+) /m.exec(sdp)?.[1] ?? null;
}

/** How often a new connection's stats are read until it has decoded a frame, ms. */
export const DECODED_POLL_MS = 50;

/** How long a connection that would replace the one shown may take to decode its first frame, ms. */
export const REPLACEMENT_DEADLINE_MS = 15_000;

/** One peer connection to whoever sends us media. */
interface Connection {
  pc: RTCPeerConnection;
  candidates: RemoteCandidates;
  /** The peer that offered (the broadcaster, or the SFU peer). */
  peer: string;
  stream: MediaStream | null;
  decoded: boolean;
  /** Heals a connection from the SFU peer (null on the mesh: the broadcaster heals those). */
  watchdog: IceWatchdog | null;
}

/** One step of a move between peers, in the order it happened. */
export interface PathEvent {
  /** `abandoned`: a replacing connection given up (it failed, or did not decode in time); `closed` follows. */
  event: 'decoded' | 'closed' | 'abandoned';
  /** The peer of the connection it happened to. */
  peer: string;
}

export class Viewer {
  private current: Connection | null = null;
  private next: Connection | null = null;
  private broadcasterId: string | null = null;
  /** What happened to each connection, oldest first. */
  readonly events: PathEvent[] = [];

  /**
   * @param signaling the relay connection (joined as watcher)
   * @param config    ICE servers and transport policy from `joined`
   * @param onStream  called with the stream to show: the first connection's at its first track, a replacing
   *                  connection's once it has decoded a frame
   */
  constructor(
    private readonly signaling: SignalingClient,
    private readonly config: () => RTCConfiguration,
    private readonly onStream: (stream: MediaStream) => void,
  ) {}

  /** The peer connection whose picture is shown (or the one being made), if any (for stats). */
  get peerConnection(): RTCPeerConnection | null {
    return (this.current ?? this.next)?.pc ?? null;
  }

  /** Whether the shown connection comes through the media server (from another peer than the broadcaster). */
  get viaMediaServer(): boolean {
    const shown = this.current ?? this.next;
    return shown !== null && shown.peer !== this.broadcasterId;
  }

  /**
   * True while the peer connection from broadcaster `id` (any broadcaster when omitted) carries media: connected, or
   * disconnected for a moment (ICE may recover, or the broadcaster restarts it). Such a connection outlives a lost
   * signalling connection and is kept across a resume; one still negotiating is not (its answer or candidates may
   * have been lost with the socket), and starts over.
   */
  isWorking(id?: string): boolean {
    // The connection shown: from the broadcaster on the mesh, or from the SFU peer of the broadcaster's room.
    const state = this.peerConnection?.connectionState;
    return (id === undefined || id === this.broadcasterId) && (state === 'connected' || state === 'disconnected');
  }

  /** Ask broadcaster `id` for its broadcast. */
  request(id: string): void {
    this.close();
    this.broadcasterId = id;
    this.signaling.send({ type: 'getBroadcast', to: id });
  }

  /**
   * Await an offer without asking: the fast join, where the server counted our `join` (sent with
   * `getBroadcast: true`) as the request to broadcaster `id`.
   */
  expect(id: string): void {
    this.close();
    this.broadcasterId = id;
  }

  /** Answer an offer: from the peer already connected (an ICE restart), or a new connection. */
  async onOffer({ from, sdp }: ServerMessageOf<'offer'>): Promise<void> {
    const same = [this.current, this.next].find((c) => c?.peer === from && c.pc.remoteDescription && sessionId(c.pc.remoteDescription.sdp) === sessionId(sdp));
    if (same) {
      // The same session offered again (an ICE restart after a network change): answer on the same connection.
      await same.pc.setRemoteDescription({ type: 'offer', sdp });
      await same.pc.setLocalDescription();
      if (same.pc.signalingState === 'closed' || !same.pc.localDescription) return;
      this.signaling.send({ type: 'answer', to: from, sdp: same.pc.localDescription.sdp });
      return;
    }
    const connection = this.open(from);
    if (this.current === null || this.current.peer === from || !this.current.stream) {
      this.drop(this.current, false);
      this.drop(this.next, false);
      this.current = connection;
    } else {
      this.drop(this.next, false);
      this.next = connection;
      setTimeout(() => {
        if (this.next === connection && !connection.decoded) this.abandon(connection);
      }, REPLACEMENT_DEADLINE_MS);
    }
    const { pc } = connection;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    connection.candidates.flush();
    await pc.setLocalDescription();
    if (pc.signalingState === 'closed' || !pc.localDescription) return;
    this.signaling.send({ type: 'answer', to: from, sdp: pc.localDescription.sdp });
  }

  /** Apply (or queue) a trickled ICE candidate from a peer we are connected to. */
  onCandidate({ from, candidate }: ServerMessageOf<'iceOfferCandidate'>): void {
    for (const c of [this.current, this.next]) if (c?.peer === from) c.candidates.add(candidate);
  }

  /** Close every peer connection (the broadcast ended, or a new one starts). */
  close(): void {
    this.drop(this.current, false);
    this.drop(this.next, false);
    this.current = this.next = null;
    this.broadcasterId = null;
  }

  private open(peer: string): Connection {
    const pc = new RTCPeerConnection(this.config());
    const connection: Connection = { pc, candidates: new RemoteCandidates(pc), peer, stream: null, decoded: false, watchdog: null };
    if (peer !== this.broadcasterId) {
      const watchdog = (connection.watchdog = new IceWatchdog(() => this.heal(connection)));
      pc.addEventListener('iceconnectionstatechange', () => watchdog.onState(pc.iceConnectionState));
    }
    pc.ontrack = ({ streams, track }) => {
      connection.stream ??= streams[0] ?? new MediaStream([track]);
      if (this.current === connection) this.onStream(connection.stream);
      if (track.kind === 'video') void this.awaitDecoded(connection);
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) this.signaling.send({ type: 'iceAnswerCandidate', to: peer, candidate: toProtocolCandidate(candidate) });
    };
    return connection;
  }

  /** Once `connection` has decoded a video frame: if it is the one being made, it replaces the one shown. */
  private async awaitDecoded(connection: Connection): Promise<void> {
    while (connection.pc.signalingState !== 'closed' && !(await framesDecoded(connection.pc))) {
      await new Promise((resolve) => setTimeout(resolve, DECODED_POLL_MS));
    }
    if (connection.pc.signalingState === 'closed' || connection.decoded) return;
    connection.decoded = true;
    this.events.push({ event: 'decoded', peer: connection.peer });
    if (this.next !== connection) return;
    const previous = this.current;
    this.current = connection;
    this.next = null;
    if (connection.stream) this.onStream(connection.stream);
    this.drop(previous, true);
  }

  /**
   * A connection from the SFU peer failed or stayed disconnected: one that was replacing the picture shown is given
   * up; the one shown is replaced by a new subscription (asked for as a watcher asks for the broadcast).
   */
  private heal(connection: Connection): void {
    connection.watchdog?.stop();
    if (connection === this.next) return this.abandon(connection);
    if (connection !== this.current || this.broadcasterId === null) return;
    this.signaling.send({ type: 'getBroadcast', to: this.broadcasterId });
  }

  /** Give up the connection being made to replace the one shown; tell its peer. */
  private abandon(connection: Connection): void {
    if (this.next !== connection) return;
    this.next = null;
    this.events.push({ event: 'abandoned', peer: connection.peer });
    this.drop(connection, true);
  }

  /** Close a connection; `hangup`: tell its peer (it may free what it held for us). */
  private drop(connection: Connection | null, hangup: boolean): void {
    if (!connection || connection.pc.signalingState === 'closed') return;
    connection.watchdog?.stop();
    connection.pc.close();
    this.events.push({ event: 'closed', peer: connection.peer });
    if (hangup) this.signaling.send({ type: 'hangup', to: connection.peer });
  }
}

/** Whether `pc` has decoded at least one video frame (`framesDecoded` of its video `inbound-rtp`, webrtc-stats). */
async function framesDecoded(pc: RTCPeerConnection): Promise<boolean> {
  let decoded = false;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded ?? 0) > 0) decoded = true;
  });
  return decoded;
}
