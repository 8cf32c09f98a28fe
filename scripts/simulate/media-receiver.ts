/**
 * The receiving half of one simulated watcher: a node-datachannel (libdatachannel) peer connection that answers the
 * broadcaster's offer, trickles its ICE candidates (RFC 8838) without waiting for gathering to complete, receives
 * RTP on the video and audio tracks and counts it, and asks the sender for a bitrate with REMB reports
 * (draft-alvestrand-rmcat-remb-03) every few hundred ms.
 */
import nodeDataChannel, { type PeerConnection, type RTCPeerConnectionState, type Track } from 'node-datachannel';
import type { IceCandidate, IceServer } from '../../protocol/messages.ts';
import { WatcherError } from './errors.ts';
import { toNodeDataChannelIceServers } from './ice-servers.ts';
import { retainTrack } from './native.ts';
import { RtpStats } from './rtp-stats.ts';
import { mediaIds, payloadCodecs, stripTransportCc } from './sdp.ts';

/** How often the video track sends a REMB report, in ms. */
export const REMB_INTERVAL_MS = 250;
/** How long after the first video RTP packet, and then between requests, a keyframe may take before a PLI, in ms. */
export const KEYFRAME_WAIT_MS = 1000;

/** What one track has received: RTP packets and bytes (header and payload, after SRTP), first arrival time. */
export interface RtpCount {
  packets: number;
  bytes: number;
  /** `performance.now()` of the first RTP packet, in ms, or null. */
  firstAt: number | null;
}

export interface MediaReceiverOptions {
  /** A name for node-datachannel's logs. */
  name: string;
  /** From the `joined` message. */
  iceServers: readonly IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  /** The local address ICE gathers on; all addresses when undefined. */
  bindAddress: string | undefined;
  /** The bitrate asked for in REMB reports, in bit/s. */
  rembBitrate: number;
}

/** Callbacks, called on the main thread. */
export interface MediaReceiverEvents {
  /** The local answer SDP, to send to the broadcaster. */
  answer(sdp: string): void;
  /** A local ICE candidate to trickle, in `RTCIceCandidateInit` shape. */
  candidate(candidate: IceCandidate): void;
  /** Peer connection state changes ('connected' once ICE and DTLS are up). */
  state(state: RTCPeerConnectionState): void;
  /** The first RTP packet of the video track arrived. */
  firstVideoRtp(atMs: number): void;
  /** A video RTP packet of `bytes` arrived (for live totals). */
  videoRtp?: (bytes: number) => void;
}

const STATES: ReadonlySet<string> = new Set(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']);

export class MediaReceiver {
  readonly video: RtpCount = { packets: 0, bytes: 0, firstAt: null };
  readonly audio: RtpCount = { packets: 0, bytes: 0, firstAt: null };
  /** Loss, frames, keyframes and bitrate of the video stream (set up by {@link applyOffer}). */
  videoStats: RtpStats = new RtpStats(new Map());
  /**
   * RTCP feedback this receiver sent: Picture Loss Indications (RFC 4585 §6.3.1) when no keyframe came, and
   * generic NACKs (RFC 4585 §6.2.1) — always 0: libdatachannel's receiving session sends none.
   */
  readonly feedback = { pli: 0, nack: 0 };
  /** Remote candidates node-datachannel refused (e.g. an mDNS name it cannot resolve). */
  badCandidates = 0;
  private readonly pc: PeerConnection;
  private readonly tracks: Track[] = [];
  private readonly pendingCandidates: IceCandidate[] = [];
  private mids: (string | null)[] = [];
  private remoteSet = false;
  private closed = false;
  private rembTimer: NodeJS.Timeout | null = null;
  private keyframeTimer: NodeJS.Timeout | null = null;

  /**
   * Create the peer connection (nothing is sent until {@link applyOffer}).
   *
   * @param options ICE configuration and REMB bitrate
   * @param events  where answers, candidates, states and the first video packet go
   */
  constructor(
    private readonly options: MediaReceiverOptions,
    private readonly events: MediaReceiverEvents,
  ) {
    this.pc = new nodeDataChannel.PeerConnection(options.name, {
      iceServers: toNodeDataChannelIceServers(options.iceServers),
      iceTransportPolicy: options.iceTransportPolicy,
      ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}),
    });
    this.pc.onLocalDescription((sdp, type) => {
      if (!this.closed && type.toLowerCase() === 'answer') events.answer(sdp);
    });
    this.pc.onLocalCandidate((candidate, mid) => {
      if (this.closed) return;
      const index = this.mids.indexOf(mid);
      events.candidate({
        candidate: candidate.replace(/^a=/, ''),
        sdpMid: mid,
        sdpMLineIndex: index >= 0 ? index : 0,
      });
    });
    this.pc.onStateChange((state) => {
      if (!this.closed && STATES.has(state)) events.state(state as RTCPeerConnectionState);
    });
    this.pc.onTrack((track) => this.receive(track));
  }

  /**
   * Apply the broadcaster's offer without transport-cc (see `stripTransportCc`), which makes node-datachannel
   * answer at once; then add the remote candidates that arrived before it.
   *
   * @param sdp the offer SDP (JSEP, RFC 8829)
   * @throws {WatcherError} `bad_offer` when node-datachannel rejects it
   */
  applyOffer(sdp: string): void {
    const offer = stripTransportCc(sdp);
    this.mids = mediaIds(offer);
    this.videoStats = new RtpStats(payloadCodecs(offer));
    try {
      this.pc.setRemoteDescription(offer, 'offer');
    } catch (err) {
      throw new WatcherError('bad_offer', `the offer was rejected: ${(err as Error).message}`, { cause: err });
    }
    this.remoteSet = true;
    for (const candidate of this.pendingCandidates.splice(0)) this.addRemoteCandidate(candidate);
  }

  /**
   * Add a trickled remote candidate; queued until the offer is applied (node-datachannel aborts the process on a
   * candidate without a remote description). The empty end-of-candidates candidate is skipped.
   */
  addRemoteCandidate(candidate: IceCandidate): void {
    if (this.closed || candidate.candidate.trim() === '') return;
    if (!this.remoteSet) {
      this.pendingCandidates.push(candidate);
      return;
    }
    const mid = candidate.sdpMid ?? this.mids[candidate.sdpMLineIndex ?? 0] ?? '0';
    try {
      this.pc.addRemoteCandidate(candidate.candidate, mid);
    } catch {
      this.badCandidates++;
    }
  }

  /** Close the peer connection and stop the REMB reports; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.rembTimer) clearInterval(this.rembTimer);
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    this.rembTimer = this.keyframeTimer = null;
    for (const track of this.tracks) {
      try {
        track.close();
      } catch {
        // already closed with the peer connection
      }
    }
    this.pc.close();
  }

  /** Set up one remote track: an RTCP receiving session (receiver reports, REMB), RTP counting. */
  private receive(track: Track): void {
    retainTrack(track);
    if (this.closed) return;
    this.tracks.push(track);
    const isVideo = track.type() === 'video';
    const count = isVideo ? this.video : this.audio;
    track.setMediaHandler(new nodeDataChannel.RtcpReceivingSession());
    track.onMessage((packet) => {
      // The RTCP receiving session passes RTP only; RTCP stays inside libdatachannel.
      if (this.closed) return;
      const now = performance.now();
      if (count.firstAt === null) {
        count.firstAt = now;
        if (isVideo) {
          this.events.firstVideoRtp(now);
          this.keyframeTimer = setInterval(() => this.requestKeyframe(track), KEYFRAME_WAIT_MS);
        }
      }
      count.packets++;
      count.bytes += packet.length;
      if (isVideo) {
        this.videoStats.add(packet, now);
        this.events.videoRtp?.(packet.length);
      }
    });
    if (isVideo) {
      track.onOpen(() => this.startRemb(track));
      if (track.isOpen()) this.startRemb(track);
    }
  }

  /** The selected ICE candidate pair's local and remote candidate types (host, srflx, prflx, relay), or null. */
  selectedCandidateTypes(): { local: string; remote: string } | null {
    try {
      const pair = this.closed ? null : this.pc.getSelectedCandidatePair();
      return pair ? { local: pair.local.type, remote: pair.remote.type } : null;
    } catch {
      return null;
    }
  }

  /** Send a PLI while no keyframe has arrived; stop checking once one has. */
  private requestKeyframe(track: Track): void {
    if (this.videoStats.firstKeyframeAt !== null || this.closed) {
      if (this.keyframeTimer) clearInterval(this.keyframeTimer);
      this.keyframeTimer = null;
      return;
    }
    try {
      if (track.isOpen() && track.requestKeyframe()) this.feedback.pli++;
    } catch {
      // the track closed between the check and the call
    }
  }

  /** Ask for {@link MediaReceiverOptions.rembBitrate} now and every {@link REMB_INTERVAL_MS}. */
  private startRemb(track: Track): void {
    if (this.closed || this.rembTimer) return;
    this.requestBitrate(track);
    this.rembTimer = setInterval(() => this.requestBitrate(track), REMB_INTERVAL_MS);
  }

  private requestBitrate(track: Track): void {
    try {
      if (!this.closed && track.isOpen()) track.requestBitrate(this.options.rembBitrate);
    } catch {
      // the track closed between the check and the call
    }
  }
}
