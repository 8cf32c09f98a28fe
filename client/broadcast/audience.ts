/**
 * The broadcaster's audience: one `RTCPeerConnection` per watcher on the mesh, and at most one upstream to the SFU.
 * For each `getBroadcast` it adds the local tracks, sends an offer (JSEP, RFC 8829) and trickles its ICE candidates
 * as `iceOfferCandidate`; it applies the watcher's `answer` and `iceAnswerCandidate`s. For a `publish` from the
 * room's SFU peer it does the same once, the video as simulcast layers where the resolution allows (listed from the
 * highest resolution to the lowest, as Janus numbers them), and the SFU's answer comes back like a watcher's.
 */
import { Listeners } from '../../protocol/listeners.ts';
import type { ServerMessageOf } from '../../protocol/messages.ts';
import { RemoteCandidates, toProtocolCandidate } from '../shared/candidates.ts';
import type { SignalingClient } from '../shared/signaling.ts';
import { IceWatchdog } from '../shared/ice-watchdog.ts';
import { withStartBitrate } from './start-bitrate.ts';

interface WatcherConnection {
  pc: RTCPeerConnection;
  candidates: RemoteCandidates;
  watchdog: IceWatchdog;
  /** The upload to the SFU, not a watcher's connection. */
  upstream: boolean;
}

/**
 * Simulcast layers for the SFU upload: full, half and quarter resolution, highest first. Chromium sends as many as
 * the resolution allows (3 at 720p, 2 at 480p); below {@link SIMULCAST_MIN_HEIGHT} one layer.
 */
export const SIMULCAST_LAYERS: RTCRtpEncodingParameters[] = [{ rid: 'f' }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'q', scaleResolutionDownBy: 4 }];
export const SIMULCAST_MIN_HEIGHT = 360;

export class Audience {
  private readonly watchers = new Map<string, WatcherConnection>();
  private readonly events = new Listeners<{ peerConnection: [pc: RTCPeerConnection] }>();

  /**
   * @param signaling the relay connection (joined as broadcaster)
   * @param stream    the captured media; its tracks go to every watcher
   * @param config    ICE servers and transport policy from `joined`
   */
  constructor(
    private readonly signaling: SignalingClient,
    private readonly stream: () => MediaStream,
    private readonly config: () => RTCConfiguration,
  ) {}

  /**
   * Listen for each new peer connection, once its tracks are added and before its offer (e.g. to set encodings).
   * @returns a function that removes the listener
   */
  onPeerConnection(listener: (pc: RTCPeerConnection) => void): () => void {
    return this.events.on('peerConnection', listener);
  }

  /** Number of watchers with a peer connection. */
  get size(): number {
    return this.watchers.size;
  }

  /** The ids of the watchers with a peer connection. */
  watcherIds(): string[] {
    return [...this.watchers.keys()];
  }

  /** Every peer connection, the SFU upload included (for stats). */
  peerConnections(): RTCPeerConnection[] {
    return [...this.watchers.values()].map((w) => w.pc);
  }

  /** The mesh's peer connections only, one per watcher (what the adaptation tunes). */
  meshConnections(): RTCPeerConnection[] {
    return [...this.watchers.values()].filter((w) => !w.upstream).map((w) => w.pc);
  }

  /** Every watcher's peer connection, by watcher id (for the audience panel). */
  *connections(): IterableIterator<[string, RTCPeerConnection]> {
    for (const [id, w] of this.watchers) yield [id, w.pc];
  }

  /** A watcher asked for the broadcast: (re)create its peer connection and send an offer. */
  async onGetBroadcast({ from: id }: ServerMessageOf<'getBroadcast'>): Promise<void> {
    await this.connect(id, false);
  }

  /** The room's SFU peer asks for the broadcast: publish once (any earlier upload is closed). */
  async onPublish({ from: id }: ServerMessageOf<'publish'>): Promise<void> {
    this.closeUpstream();
    await this.connect(id, true);
  }

  /** Whether `id` is the SFU peer this page uploads to. */
  isUpstream(id: string): boolean {
    return this.watchers.get(id)?.upstream === true;
  }

  /** Close the upload to the SFU (the room is back on the mesh). */
  closeUpstream(): void {
    for (const [id, w] of this.watchers) if (w.upstream) this.remove(id);
  }

  private async connect(id: string, upstream: boolean): Promise<void> {
    this.remove(id);
    const pc = new RTCPeerConnection(this.config());
    const watchdog = new IceWatchdog((action) => {
      if (this.watchers.get(id) !== watcher) return;
      if (action === 'close') this.remove(id);
      else void this.restartIce(id).catch((err: unknown) => console.warn('onair: ICE restart failed:', err));
    });
    const watcher = { pc, candidates: new RemoteCandidates(pc), watchdog, upstream };
    this.watchers.set(id, watcher);
    pc.oniceconnectionstatechange = () => watchdog.onState(pc.iceConnectionState);
    const stream = this.stream();
    // One sender per kind even when there is no track of that kind yet (audio only), so that a later source switch
    // is a replaceTrack, never a renegotiation.
    for (const kind of ['audio', 'video'] as const) {
      const track = stream.getTracks().find((t) => t.kind === kind);
      const simulcast = upstream && kind === 'video' && (track?.getSettings().height ?? 0) >= SIMULCAST_MIN_HEIGHT;
      if (simulcast) pc.addTransceiver(track!, { direction: 'sendonly', streams: [stream], sendEncodings: SIMULCAST_LAYERS });
      else if (track) pc.addTrack(track, stream);
      else pc.addTransceiver(kind, { direction: 'sendonly', streams: [stream] });
    }
    if (!upstream) this.events.emit('peerConnection', pc);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) this.signaling.send({ type: 'iceOfferCandidate', to: id, candidate: toProtocolCandidate(candidate) });
    };
    await pc.setLocalDescription();
    if (this.watchers.get(id) !== watcher || !pc.localDescription) return;
    this.signaling.send({ type: 'offer', to: id, sdp: pc.localDescription.sdp });
  }

  /**
   * Restart ICE on one watcher's connection (RFC 8445 §2.4) and send it the new offer over the relay; the watcher
   * answers on the same peer connection, and media carries on once the new candidate pair is chosen.
   */
  async restartIce(id: string): Promise<void> {
    const watcher = this.watchers.get(id);
    if (!watcher) return;
    watcher.pc.restartIce();
    await watcher.pc.setLocalDescription();
    if (this.watchers.get(id) !== watcher || !watcher.pc.localDescription) return;
    this.signaling.send({ type: 'offer', to: id, sdp: watcher.pc.localDescription.sdp });
  }

  /**
   * Restart ICE on every watcher connection whose media path failed or dropped (after the signalling came back: the
   * restarts the ICE watchdog wanted meanwhile could not be sent).
   */
  async restartFailed(): Promise<void> {
    const down = [...this.watchers].filter(([, w]) => ['failed', 'disconnected'].includes(w.pc.iceConnectionState));
    await Promise.all(down.map(([id]) => this.restartIce(id)));
  }

  /** Apply a watcher's answer, asking Chrome to start its video at {@link withStartBitrate}'s bitrate. */
  async onAnswer({ from, sdp }: ServerMessageOf<'answer'>): Promise<void> {
    const watcher = this.watchers.get(from);
    if (!watcher || watcher.pc.signalingState !== 'have-local-offer') return;
    await watcher.pc.setRemoteDescription({ type: 'answer', sdp: withStartBitrate(sdp) });
    watcher.candidates.flush();
  }

  /** Apply (or queue) a watcher's trickled ICE candidate. */
  onCandidate({ from, candidate }: ServerMessageOf<'iceAnswerCandidate'>): void {
    this.watchers.get(from)?.candidates.add(candidate);
  }

  /**
   * Swap the track of one kind on every sender without renegotiating (`RTCRtpSender.replaceTrack`); `null` sends
   * nothing of that kind until a track is put back.
   */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const senders = this.peerConnections().flatMap((pc) =>
      pc.getTransceivers().filter((t) => t.receiver.track.kind === kind).map((t) => t.sender),
    );
    await Promise.all(senders.map((s) => s.replaceTrack(track)));
  }

  /** Close one watcher's peer connection (it left). */
  remove(id: string): void {
    this.watchers.get(id)?.watchdog.stop();
    this.watchers.get(id)?.pc.close();
    this.watchers.delete(id);
  }

  /** Close every peer connection. */
  closeAll(): void {
    for (const id of [...this.watchers.keys()]) this.remove(id);
  }
}
