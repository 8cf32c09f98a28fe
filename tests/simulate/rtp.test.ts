import t from 'tap';
import { isH264Keyframe, isKeyframe, isVp8Keyframe, parseRtpHeader, redPrimary, vp8KeyframeSize } from '../../scripts/simulate/rtp.ts';
import { H264, rtp, vp8Payload } from './fixtures/rtp.ts';

t.test('parseRtpHeader reads the fixed header and skips the header extension', async (t) => {
  const packet = rtp({ pt: 96, seq: 513, ts: 90_000, marker: true, ssrc: 0xcafe, payload: [1, 2, 3] });
  const header = parseRtpHeader(packet);
  t.same(header, { payloadType: 96, sequence: 513, timestamp: 90_000, marker: true, ssrc: 0xcafe, payloadOffset: 20, payloadEnd: 23 });
});

t.test('parseRtpHeader refuses RTCP, short packets and other versions', async (t) => {
  t.equal(parseRtpHeader(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0])), null, 'a sender report');
  t.equal(parseRtpHeader(Buffer.alloc(11)), null);
  t.equal(parseRtpHeader(Buffer.from([0x40, 96, ...Array(10).fill(0)])), null, 'version 1');
});

t.test('parseRtpHeader leaves padding out of the payload', async (t) => {
  const packet = Buffer.from([0xa0, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 9, 9, 0, 0, 3]);
  t.same(parseRtpHeader(packet)?.payloadEnd, 14);
});

t.test('VP8: a keyframe starts partition 0 with P=0; other packets are not keyframes', async (t) => {
  t.ok(isVp8Keyframe(Buffer.from(vp8Payload(true, true, 300))), 'first packet of a keyframe, 15-bit picture ID');
  t.notOk(isVp8Keyframe(Buffer.from(vp8Payload(true, false, 300))), 'first packet of an interframe');
  t.notOk(isVp8Keyframe(Buffer.from(vp8Payload(false, true, 300))), 'a later packet of a keyframe (S=0)');
  t.ok(isVp8Keyframe(Buffer.from([0x10, 0x10])), 'no extension, S=1');
  t.ok(isVp8Keyframe(Buffer.from([0x90, 0xe0, 0x05, 0x01, 0x02, 0x10])), 'I (7-bit ID), L and T set');
  t.notOk(isVp8Keyframe(Buffer.from([0x11, 0x10])), 'PID 1 is not the start of the frame');
  t.notOk(isVp8Keyframe(Buffer.from([0x90])), 'truncated');
  t.notOk(isVp8Keyframe(Buffer.alloc(0)));
});

t.test('VP8: a keyframe announces its picture size (the simulcast layer received)', async (t) => {
  // Descriptor (S=1, no extension), frame tag (P=0), start code, 854 × 480 (RFC 6386 §9.1, 14 bits little-endian).
  const key = Buffer.from([0x10, 0x50, 0x2c, 0x01, 0x9d, 0x01, 0x2a, 854 & 0xff, 854 >> 8, 480 & 0xff, 480 >> 8]);
  t.same(vp8KeyframeSize(key), { width: 854, height: 480 });
  t.same(vp8KeyframeSize(Buffer.from([0x10, 0x50, 0x2c, 0x01, 0x9d, 0x01, 0x2a, 0x40, 0x41, 0x68, 0x01])), { width: 320, height: 360 }, 'scaling bits left out');
  t.equal(vp8KeyframeSize(Buffer.from([0x10, 0x51, 0x2c, 0x01, 0x9d, 0x01, 0x2a, 1, 1, 1, 1])), null, 'an interframe');
  t.equal(vp8KeyframeSize(Buffer.from([0x10, 0x50, 0x2c, 0x01, 0x9d, 0x01, 0x2b, 1, 1, 1, 1])), null, 'no start code');
  t.equal(vp8KeyframeSize(key.subarray(0, 9)), null, 'truncated');
});

t.test('H.264: IDR and SPS single NAL units, a STAP-A with SPS, the first FU-A fragment of an IDR', async (t) => {
  t.ok(isH264Keyframe(Buffer.from([0x65, 0x88])), 'IDR slice');
  t.ok(isH264Keyframe(Buffer.from([0x67, 0x42])), 'SPS');
  t.ok(isH264Keyframe(Buffer.from(H264.stapA)), 'STAP-A with SPS and PPS');
  t.ok(isH264Keyframe(Buffer.from(H264.fuStartIdr)), 'FU-A start of an IDR');
  t.notOk(isH264Keyframe(Buffer.from(H264.fuEndIdr)), 'FU-A end fragment');
  t.notOk(isH264Keyframe(Buffer.from(H264.fuStartNonIdr)), 'FU-A start of a non-IDR slice');
  t.notOk(isH264Keyframe(Buffer.from(H264.single)), 'a non-IDR slice');
  t.notOk(isH264Keyframe(Buffer.from([0x78, 0x00, 0x02, 0x68, 0xce])), 'STAP-A with a PPS only');
  t.notOk(isH264Keyframe(Buffer.alloc(0)));
});

t.test('isKeyframe picks the parser by codec name', async (t) => {
  t.ok(isKeyframe('VP8', Buffer.from(vp8Payload(true, true, 1))));
  t.ok(isKeyframe('H264', Buffer.from([0x65])));
  t.notOk(isKeyframe('VP9', Buffer.from([0x65])), 'unparsed codec');
});

t.test('redPrimary finds the primary block of a RED payload (RFC 2198)', async (t) => {
  t.same(redPrimary(Buffer.from([96, 0x90, 0x80])), { payloadType: 96, offset: 1 }, 'primary only, as Chrome sends VP8');
  // One redundant block of 2 bytes (PT 96, offset 3000, length 2), then the primary (PT 96).
  t.same(redPrimary(Buffer.from([0xe0, 0x2e, 0xe0, 0x02, 96, 0xaa, 0xbb, 0x90])), { payloadType: 96, offset: 7 });
  t.equal(redPrimary(Buffer.from([0xe0, 0x2e])), null, 'truncated header');
  t.equal(redPrimary(Buffer.from([0xe0, 0x2e, 0xe0, 0x09, 96, 1])), null, 'block longer than the packet');
  t.equal(redPrimary(Buffer.alloc(0)), null);
});
