/**
 * Reading received RTP packets (RFC 3550 §5.1): the fixed header, RED's primary block (RFC 2198), and whether a
 * video payload starts a keyframe —
 * VP8 (RFC 7741 §4.2–4.3, RFC 6386 §9.1) or H.264 (RFC 6184 §5.6–5.8, ITU-T H.264 NAL unit type 5 = IDR slice).
 */

/** The RTP fixed header fields the simulator uses, and where the payload starts. */
export interface RtpHeader {
  payloadType: number;
  /** 16-bit sequence number. */
  sequence: number;
  /** 32-bit media timestamp, in the codec's clock (90 kHz for video). */
  timestamp: number;
  /** The marker bit: for video, the last packet of a frame (RFC 3551 §4.1). */
  marker: boolean;
  ssrc: number;
  /** Byte offset of the payload (after CSRCs and the header extension). */
  payloadOffset: number;
  /** Byte offset where padding starts (the packet's end without padding). */
  payloadEnd: number;
}

/**
 * Parse an RTP packet's fixed header.
 *
 * @param packet one RTP packet, after SRTP decryption
 * @returns the header, or null for anything that is not a well-formed RTP version 2 packet (e.g. RTCP)
 */
export function parseRtpHeader(packet: Uint8Array): RtpHeader | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  const payloadType = packet[1]! & 0x7f;
  if (payloadType >= 64 && payloadType <= 95) return null; // RTCP packet types 192–223 (RFC 5761 §4)
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  let offset = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) {
    if (offset + 4 > packet.length) return null;
    offset += 4 + view.getUint16(offset + 2) * 4;
  }
  let end = packet.length;
  if (packet[0]! & 0x20) end -= packet[packet.length - 1]!;
  if (offset > end) return null;
  return {
    payloadType,
    sequence: view.getUint16(2),
    timestamp: view.getUint32(4),
    marker: (packet[1]! & 0x80) !== 0,
    ssrc: view.getUint32(8),
    payloadOffset: offset,
    payloadEnd: end,
  };
}

/**
 * Whether a VP8 RTP payload is the first packet of a keyframe: the payload descriptor (RFC 7741 §4.2) has S=1 and
 * PID=0, and the VP8 payload header's P bit (inverse keyframe flag, RFC 6386 §9.1) is 0.
 *
 * @param payload the RTP payload (payload descriptor first)
 */
export function isVp8Keyframe(payload: Uint8Array): boolean {
  const at = vp8HeaderAt(payload);
  return at !== null && (payload[at]! & 0x01) === 0;
}

/** Where the VP8 payload header starts in the first packet of a frame, after the payload descriptor; else null. */
function vp8HeaderAt(payload: Uint8Array): number | null {
  if (payload.length < 1) return null;
  const first = payload[0]!;
  if ((first & 0x10) === 0 || (first & 0x0f) !== 0) return null; // S=1, PID=0: start of partition 0
  let at = 1;
  if (first & 0x80) {
    const ext = payload[at++];
    if (ext === undefined) return null;
    if (ext & 0x80) at += (payload[at] ?? 0) & 0x80 ? 2 : 1; // I: PictureID, 7 or 15 bits (M)
    if (ext & 0x40) at += 1; // L: TL0PICIDX
    if (ext & 0x30) at += 1; // T or K: TID/Y/KEYIDX
  }
  return at < payload.length ? at : null;
}

/**
 * The picture size a VP8 keyframe's first packet announces (RFC 6386 §9.1: the 3-byte frame tag, the start code
 * 9d 01 2a, then 14-bit width and height, little-endian, under 2 scaling bits); null for anything else. This is how
 * the simulator tells which simulcast layer (resolution) it receives.
 */
export function vp8KeyframeSize(payload: Uint8Array): { width: number; height: number } | null {
  const at = vp8HeaderAt(payload);
  if (at === null || (payload[at]! & 0x01) !== 0 || payload.length < at + 10) return null;
  if (payload[at + 3] !== 0x9d || payload[at + 4] !== 0x01 || payload[at + 5] !== 0x2a) return null;
  return { width: (payload[at + 6]! | (payload[at + 7]! << 8)) & 0x3fff, height: (payload[at + 8]! | (payload[at + 9]! << 8)) & 0x3fff };
}

/** H.264 NAL unit types (ITU-T H.264 Table 7-1; RFC 6184 §5.2 for 24 and 28). */
const NAL = { idr: 5, sps: 7, stapA: 24, fuA: 28 } as const;

/**
 * Whether an H.264 RTP payload (RFC 6184, packetization mode 0 or 1) carries the start of an IDR picture: a single
 * NAL unit of type 5 (or an SPS, which an encoder sends right before an IDR), a STAP-A holding one, or the first
 * fragment (S bit) of an FU-A of type 5.
 *
 * @param payload the RTP payload (NAL unit header first)
 */
export function isH264Keyframe(payload: Uint8Array): boolean {
  if (payload.length < 1) return false;
  const type = payload[0]! & 0x1f;
  if (type === NAL.idr || type === NAL.sps) return true;
  if (type === NAL.fuA) {
    const fu = payload[1];
    return fu !== undefined && (fu & 0x80) !== 0 && (fu & 0x1f) === NAL.idr;
  }
  if (type === NAL.stapA) {
    for (let at = 1; at + 3 <= payload.length; ) {
      const size = (payload[at]! << 8) | payload[at + 1]!;
      const inner = payload[at + 2]! & 0x1f;
      if (inner === NAL.idr || inner === NAL.sps) return true;
      at += 2 + size;
    }
  }
  return false;
}

/**
 * The primary block of a RED payload (RFC 2198 §3): skip the 4-byte headers of redundant blocks (F=1) and their
 * data, to the 1-byte header (F=0) that names the primary block's payload type. Chrome wraps VP8 in RED, and sends
 * ULPFEC (RFC 5109) as RED blocks too.
 *
 * @param payload the RTP payload of a RED packet
 * @returns the primary block's payload type and its offset in `payload`, or null when malformed
 */
export function redPrimary(payload: Uint8Array): { payloadType: number; offset: number } | null {
  let at = 0;
  let redundant = 0;
  while (at < payload.length && payload[at]! & 0x80) {
    if (at + 4 > payload.length) return null;
    redundant += ((payload[at + 2]! & 0x03) << 8) | payload[at + 3]!;
    at += 4;
  }
  if (at >= payload.length) return null;
  const offset = at + 1 + redundant;
  return offset <= payload.length ? { payloadType: payload[at]! & 0x7f, offset } : null;
}

/** The video codecs whose keyframes the simulator recognises (SDP `a=rtpmap` encoding names, upper case). */
export type VideoCodec = 'VP8' | 'H264';

/**
 * Whether `payload` starts a keyframe in `codec`.
 *
 * @returns false for codecs the simulator does not parse
 */
export function isKeyframe(codec: string, payload: Uint8Array): boolean {
  if (codec === 'VP8') return isVp8Keyframe(payload);
  if (codec === 'H264') return isH264Keyframe(payload);
  return false;
}
