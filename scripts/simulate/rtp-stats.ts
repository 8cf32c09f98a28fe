/**
 * Receive statistics for one video RTP stream, computed from the packets themselves: packet loss from sequence
 * number gaps (RFC 3550 §6.4.1 and Appendix A.3: expected = extended highest − first + 1, lost = expected −
 * received), frames from marker bits with their timestamps (RFC 3551 §4.1: the marker ends a video frame), frame
 * rate from those timestamps (90 kHz clock, RFC 3551 §5), keyframes from the payload ({@link isKeyframe}), bitrate
 * from bytes over time. Only the first SSRC with a known video codec counts: retransmissions (rtx) come on an SSRC
 * of their own and are left out. RED packets (RFC 2198, Chrome wraps VP8 in them) are opened to their primary block,
 * and ULPFEC inside RED counts for the sequence numbers, as it shares them, but not as media.
 */
import { isKeyframe, parseRtpHeader, redPrimary, vp8KeyframeSize } from './rtp.ts';

/** The RTP clock rate of video, in Hz (RFC 3551 §5, RFC 7741 §6.1, RFC 6184 §8.1). */
export const VIDEO_CLOCK_HZ = 90_000;

/** Cumulative counters at one moment; two of them give rates with {@link rates}. */
export interface RtpSnapshot {
  /** `performance.now()`, in ms. */
  atMs: number;
  /** Bytes of every RTP packet of the track (rtx included), header and payload. */
  bytes: number;
  /** Packets of the counted stream, and how many its sequence numbers say were sent. */
  received: number;
  expected: number;
  /** Frames completed (marker bits) and the RTP timestamp of the last one, unwrapped (90 kHz units). */
  frames: number;
  firstFrameTimestamp: number;
  lastFrameTimestamp: number;
  keyframes: number;
}

/** Rates between two snapshots. */
export interface RtpRates {
  /** Received bitrate, in kbit/s. */
  kbps: number;
  /** Frames per second by the frames' RTP timestamps, or null when no two frames bound the interval. */
  fps: number | null;
  /** Lost ÷ expected packets, in % (0 when nothing was expected). */
  lossPercent: number;
  lost: number;
  expected: number;
}

/** A signed difference of two unsigned `bits`-bit counters that wrap (RFC 3550 Appendix A.1 style). */
function wrappedDelta(next: number, previous: number, bits: 16 | 32): number {
  const range = 2 ** bits;
  let delta = (next - previous) % range;
  if (delta < 0) delta += range;
  return delta >= range / 2 ? delta - range : delta;
}

export class RtpStats {
  /** The encoding name of the counted stream (`VP8`, `H264`...), once a packet arrived. */
  codec: string | null = null;
  ssrc: number | null = null;
  bytes = 0;
  received = 0;
  frames = 0;
  keyframes = 0;
  /** `performance.now()` of the first packet and of the first keyframe's first packet, in ms. */
  firstAt: number | null = null;
  firstKeyframeAt: number | null = null;
  /** The picture size of the latest VP8 keyframe (the simulcast layer received); null before one. */
  resolution: { width: number; height: number } | null = null;
  private firstSequence = 0;
  private highestSequence = 0; // extended (unwrapped)
  private lastSequence = 0; // as received, 16 bits
  private lastTimestamp = 0; // as received, 32 bits
  private timestamp = 0; // unwrapped
  private frameTimestamp = 0; // unwrapped timestamp of the last completed frame
  private firstFrameTimestamp = 0;

  /**
   * @param codecs payload type → encoding name, from the offer (`a=rtpmap`, see `payloadCodecs` in sdp.ts)
   */
  constructor(private readonly codecs: ReadonlyMap<number, string>) {}

  /**
   * Count one received packet.
   *
   * @param packet the RTP packet (after SRTP)
   * @param atMs   its arrival, `performance.now()` in ms
   */
  add(packet: Uint8Array, atMs: number = performance.now()): void {
    this.bytes += packet.length;
    const header = parseRtpHeader(packet);
    if (!header) return;
    let codec = this.codecs.get(header.payloadType)?.toUpperCase();
    let payloadOffset = header.payloadOffset;
    if (codec === 'RED') {
      const primary = redPrimary(packet.subarray(header.payloadOffset, header.payloadEnd));
      if (!primary) return;
      codec = this.codecs.get(primary.payloadType)?.toUpperCase();
      payloadOffset += primary.offset;
    }
    if (!codec || codec === 'RTX') return;
    const media = isMediaCodec(codec);
    if (this.ssrc === null && !media) return;
    if (this.ssrc === null) {
      this.ssrc = header.ssrc;
      this.firstAt = atMs;
      this.firstSequence = this.highestSequence = this.lastSequence = header.sequence;
      this.lastTimestamp = header.timestamp;
    } else if (header.ssrc !== this.ssrc) {
      return;
    } else {
      const extended = this.highestSequence + wrappedDelta(header.sequence, this.lastSequence, 16);
      if (extended > this.highestSequence) {
        this.highestSequence = extended;
        this.lastSequence = header.sequence;
      }
      this.timestamp += wrappedDelta(header.timestamp, this.lastTimestamp, 32);
      this.lastTimestamp = header.timestamp;
    }
    this.received++;
    if (!media) return;
    this.codec ??= codec;
    const payload = packet.subarray(payloadOffset, header.payloadEnd);
    if (isKeyframe(codec, payload)) {
      this.keyframes++;
      this.firstKeyframeAt ??= atMs;
      if (codec === 'VP8') this.resolution = vp8KeyframeSize(payload) ?? this.resolution;
    }
    if (header.marker) {
      if (this.frames === 0) this.firstFrameTimestamp = this.timestamp;
      this.frames++;
      this.frameTimestamp = this.timestamp;
    }
  }

  /** Packets the sequence numbers say were sent, from the first received to the highest. */
  get expected(): number {
    return this.ssrc === null ? 0 : this.highestSequence - this.firstSequence + 1;
  }

  /** Cumulative counters now. */
  snapshot(atMs: number = performance.now()): RtpSnapshot {
    return {
      atMs,
      bytes: this.bytes,
      received: this.received,
      expected: this.expected,
      frames: this.frames,
      firstFrameTimestamp: this.firstFrameTimestamp,
      lastFrameTimestamp: this.frameTimestamp,
      keyframes: this.keyframes,
    };
  }
}

/** Whether an encoding name is a video codec rather than retransmission, RED or FEC. */
function isMediaCodec(codec: string): boolean {
  return !['RTX', 'RED', 'ULPFEC', 'FLEXFEC-03', 'FLEXFEC'].includes(codec);
}

/**
 * Rates between two snapshots of the same stream.
 *
 * @param from the earlier snapshot
 * @param to   the later one
 */
export function rates(from: RtpSnapshot, to: RtpSnapshot): RtpRates {
  const ms = Math.max(to.atMs - from.atMs, 1);
  const expected = to.expected - from.expected;
  const lost = Math.max(0, expected - (to.received - from.received));
  // Frames completed after `from`'s last frame, over the timestamps they span; from the first frame if none yet.
  const frames = from.frames === 0 ? to.frames - 1 : to.frames - from.frames;
  const base = from.frames === 0 ? to.firstFrameTimestamp : from.lastFrameTimestamp;
  const span = (to.lastFrameTimestamp - base) / VIDEO_CLOCK_HZ;
  return {
    kbps: ((to.bytes - from.bytes) * 8) / ms,
    fps: frames >= 1 && span > 0 ? frames / span : null,
    lossPercent: expected > 0 ? (lost / expected) * 100 : 0,
    lost,
    expected,
  };
}
