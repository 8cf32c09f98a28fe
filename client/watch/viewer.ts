/**
 * The watcher's side of one broadcast: asks the broadcaster for it (`getBroadcast`), answers its offer (JSEP,
 * RFC 8829), trickles ICE both ways, and hands the received stream to the page. One peer connection at a time; a
 * new offer (the broadcaster came back) replaces the old one.
 */
import type { ServerMessageOf } from '../../protocol/messages.ts';
import { RemoteCandidates, toProtocolCandidate } from '../shared/candidates.ts';
import type { SignalingClient } from '../shared/signaling.ts';

/** The session id of an SDP's origin line (`o=- <sess-id> <sess-version> …`, RFC 8866 §5.2), or null. */
export function sessionId(sdp: string): string | null {
  return /^o=\S+ (\S+) /m.exec(sdp)?.[1] ?? null;
}

export class Viewer {
  private pc: RTCPeerConnection | null = null;
  private candidates: RemoteCandidates | null = null;
  private broadcasterId: string | null = null;

  /**
   * @param signaling the relay connection (joined as watcher)
   * @param config    ICE servers and transport policy from `joined`
   * @param onStream  called with the broadcaster's stream when its first track arrives
   */
  constructor(
    private readonly signaling: SignalingClient,
    private readonly config: () => RTCConfiguration,
    private readonly onStream: (stream: MediaStream) => void,
  ) {}

  /** The current peer connection, if any (for stats). */
  get peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }

  /**
   * True while the peer connection from broadcaster `id` (any broadcaster when omitted) carries media: connected, or
   * disconnected for a moment (ICE may recover, or the broadcaster restarts it). Such a connection outlives a lost
   * signalling connection and is kept across a resume; one still negotiating is not (its answer or candidates may
   * have been lost with the socket), and starts over.
   */
  isWorking(id?: string): boolean {
    const state = this.pc?.connectionState;
    return (id === undefined || id === this.broadcasterId) && (state === 'connected' || state === 'disconnected');
  }

  /** Ask broadcaster `id` for its broadcast. */
  request(id: string): void {
    this.close();
    this.broadcasterId = id;
    this.signaling.send({ type: 'getBroadcast', to: id });
  }

  /**
   * Await broadcaster `id`'s offer without asking: the fast join, where the server counted our `join` (sent with
   * `getBroadcast: true`) as the request.
   */
  expect(id: string): void {
    this.close();
    this.broadcasterId = id;
  }

  /** Answer the broadcaster's offer. Offers from anyone but the broadcaster we asked are ignored. */
  async onOffer({ from, sdp }: ServerMessageOf<'offer'>): Promise<void> {
    if (from !== this.broadcasterId) return;
    const current = this.pc;
    if (current?.remoteDescription && sessionId(current.remoteDescription.sdp) === sessionId(sdp)) {
      // The same session offered again (an ICE restart after a network change): answer on the same connection.
      await current.setRemoteDescription({ type: 'offer', sdp });
      await current.setLocalDescription();
      if (this.pc !== current || !current.localDescription) return;
      this.signaling.send({ type: 'answer', to: from, sdp: current.localDescription.sdp });
      return;
    }
    this.close();
    this.broadcasterId = from;
    const pc = new RTCPeerConnection(this.config());
    this.pc = pc;
    this.candidates = new RemoteCandidates(pc);
    pc.ontrack = ({ streams, track }) => this.onStream(streams[0] ?? new MediaStream([track]));
    pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) this.signaling.send({ type: 'iceAnswerCandidate', to: from, candidate: toProtocolCandidate(candidate) });
    };
    await pc.setRemoteDescription({ type: 'offer', sdp });
    this.candidates.flush();
    await pc.setLocalDescription();
    if (this.pc !== pc || !pc.localDescription) return;
    this.signaling.send({ type: 'answer', to: from, sdp: pc.localDescription.sdp });
  }

  /** Apply (or queue) the broadcaster's trickled ICE candidate. */
  onCandidate({ from, candidate }: ServerMessageOf<'iceOfferCandidate'>): void {
    if (from === this.broadcasterId) this.candidates?.add(candidate);
  }

  /** Close the peer connection (the broadcast ended, or a new one starts). */
  close(): void {
    this.pc?.close();
    this.pc = null;
    this.candidates = null;
    this.broadcasterId = null;
  }
}
