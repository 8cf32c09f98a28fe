/**
 * A broadcaster without a browser, for the simulator's tests: a node-datachannel peer per watcher that offers one
 * VP8 video and one Opus audio track (sendonly), trickles its candidates, and sends RTP packets of dummy payload
 * once the video track is open. It records whether a REMB report (draft-alvestrand-rmcat-remb-03) came back.
 */
import nodeDataChannel, { type PeerConnection, type Track } from 'node-datachannel';
import { retainTrack } from '../../../scripts/simulate/native.ts';
import { RelayConnection } from '../../../scripts/simulate/relay-connection.ts';
import type { IceCandidate } from '../../../protocol/messages.ts';

/** RTP payload type, SSRC and packet size of the dummy video. */
const VIDEO = { payloadType: 96, ssrc: 0x0a11ce, packetBytes: 1000, intervalMs: 5 } as const;

/** One RTP packet (RFC 3550 §5.1) of zeros. */
export function rtpPacket(seq: number, ssrc: number = VIDEO.ssrc, bytes: number = VIDEO.packetBytes): Buffer {
  const packet = Buffer.alloc(bytes);
  packet[0] = 0x80; // version 2
  packet[1] = VIDEO.payloadType;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE((seq * 3000) >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

/** Whether an RTCP packet, compound or not, holds a REMB: payload-specific feedback (206), FMT 15, "REMB". */
export function hasRemb(packet: Buffer): boolean {
  for (let at = 0; at + 16 <= packet.length; at += (packet.readUInt16BE(at + 2) + 1) * 4) {
    const remb = packet[at + 1] === 206 && (packet[at]! & 0x1f) === 15 && packet.toString('latin1', at + 12, at + 16) === 'REMB';
    if (remb) return true;
  }
  return false;
}

/** A node-datachannel video sender offer (no ICE candidates in it: they trickle). */
export function createSender(bindAddress = '127.0.0.1'): { pc: PeerConnection; video: Track } {
  const pc = new nodeDataChannel.PeerConnection('broadcaster', { iceServers: [], bindAddress });
  const video = new nodeDataChannel.Video('video', 'SendOnly');
  video.addVP8Codec(VIDEO.payloadType);
  video.addSSRC(VIDEO.ssrc, 'onair', 'stream', 'video');
  const audio = new nodeDataChannel.Audio('audio', 'SendOnly');
  audio.addOpusCodec(111);
  audio.addSSRC(VIDEO.ssrc + 1, 'onair', 'stream', 'audio');
  const track = retainTrack(pc.addTrack(video));
  retainTrack(pc.addTrack(audio));
  return { pc, video: track };
}

/** Send dummy video RTP on `track` every few ms while it is open; returns a function that stops. */
export function sendRtp(track: Track): () => void {
  let seq = 0;
  const timer = setInterval(() => {
    if (track.isOpen()) track.sendMessageBinary(rtpPacket(seq++));
  }, VIDEO.intervalMs);
  return () => clearInterval(timer);
}

export interface NdcBroadcasterOptions {
  /** Answer `getBroadcast` with an offer (default true); false simulates a broadcaster that never offers. */
  offer?: boolean;
}

/**
 * Apply a trickled candidate. libdatachannel throws on one it cannot use (the end-of-candidates empty line, or one that
 * arrives as the connection closes: "Got a remote candidate without ICE transport", seen once in a clean-clone run):
 * such a candidate is dropped, as the simulator's own receiver does, instead of failing the test as an uncaught
 * exception in the relay's listener.
 */
function addCandidate(pc: PeerConnection, candidate: IceCandidate): void {
  if (candidate.candidate.trim() === '') return;
  try {
    pc.addRemoteCandidate(candidate.candidate, candidate.sdpMid ?? 'video');
  } catch {
    // dropped: see above
  }
}

/** One watcher's connection, and the candidates each side holds back until the answer is applied. */
interface Peer {
  pc: PeerConnection;
  stop: () => void;
  answered: boolean;
  /** The watcher's candidates that overtook its answer. */
  early: IceCandidate[];
  /** Our own candidates, not sent until the answer is applied: see {@link NdcBroadcaster}. */
  held: IceCandidate[];
}

/**
 * The broadcaster sends its ICE candidates only once it has applied the watcher's answer. libdatachannel, as the
 * offerer, answers connectivity checks and runs the DTLS handshake before it has the answer, and then fails the
 * handshake because it cannot yet check the watcher's certificate against the answer's fingerprint ("DTLS alert:
 * unknown CA"): seen in 1 of 8 runs of the simulator's tests on a busy machine, where the answer crossed the relay
 * after the handshake. A browser waits for the fingerprint instead; holding the candidates back gives the same
 * order, and trickle ICE (RFC 8838) is still exercised: the candidates follow the offer one by one.
 */
export class NdcBroadcaster {
  /** Resolves once any watcher sent a REMB report. */
  readonly rembSeen: Promise<void>;
  private rembReceived = () => {};
  private readonly peers = new Map<string, Peer>();

  private constructor(readonly relay: RelayConnection, readonly id: string, options: NdcBroadcasterOptions) {
    this.rembSeen = new Promise((resolve) => (this.rembReceived = resolve));
    relay.on('getBroadcast', ({ from }) => {
      if (options.offer !== false) this.offerTo(from);
    });
    relay.on('answer', ({ from, sdp }) => {
      const peer = this.peers.get(from);
      if (!peer) return;
      peer.pc.setRemoteDescription(sdp, 'answer');
      // Trickled candidates can overtake the answer; libdatachannel throws on a candidate before the answer.
      for (const c of peer.early.splice(0)) addCandidate(peer.pc, c);
      peer.answered = true;
      for (const candidate of peer.held.splice(0)) this.relay.send({ type: 'iceOfferCandidate', to: from, candidate });
    });
    relay.on('iceAnswerCandidate', ({ from, candidate }) => {
      const peer = this.peers.get(from);
      if (!peer) return;
      if (peer.answered) addCandidate(peer.pc, candidate);
      else peer.early.push(candidate);
    });
  }

  /** Join `room` on the relay at `wsUrl` as its broadcaster and go live. */
  static async start(wsUrl: string, room: string, options: NdcBroadcasterOptions = {}): Promise<NdcBroadcaster> {
    const relay = await RelayConnection.open(wsUrl, 5000, new AbortController().signal, () => new Error('aborted'));
    relay.send({ type: 'join', room, role: 'broadcaster' });
    const joined = await relay.next(['joined']);
    const broadcaster = new NdcBroadcaster(relay, joined.id, options);
    relay.send({ type: 'broadcastAvailable' });
    return broadcaster;
  }

  /** Close every peer connection and leave the room. */
  async close(): Promise<void> {
    for (const { pc, stop } of this.peers.values()) {
      stop();
      pc.close();
    }
    this.peers.clear();
    await this.relay.close();
  }

  private offerTo(watcher: string): void {
    const { pc, video } = createSender();
    video.onMessage((packet) => {
      if (hasRemb(packet)) this.rembReceived();
    });
    pc.onLocalDescription((sdp, type) => {
      if (type.toLowerCase() === 'offer') this.relay.send({ type: 'offer', to: watcher, sdp });
    });
    const peer: Peer = { pc, stop: sendRtp(video), answered: false, early: [], held: [] };
    pc.onLocalCandidate((line, mid) => {
      const candidate = { candidate: line.replace(/^a=/, ''), sdpMid: mid, sdpMLineIndex: 0 };
      if (peer.answered) this.relay.send({ type: 'iceOfferCandidate', to: watcher, candidate });
      else peer.held.push(candidate);
    });
    this.peers.set(watcher, peer);
    pc.setLocalDescription();
  }
}
