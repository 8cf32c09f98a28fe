import t from 'tap';
import { rates, RtpStats } from '../../scripts/simulate/rtp-stats.ts';
import { payloadCodecs } from '../../scripts/simulate/sdp.ts';
import { H264, rtp, vp8Stream } from './fixtures/rtp.ts';

const codecs = new Map([[96, 'VP8'], [97, 'RTX'], [102, 'H264'], [118, 'RED'], [120, 'ULPFEC']]);

t.test('a clean VP8 sequence across sequence and timestamp wrap: frames, fps, no loss, one keyframe', async (t) => {
  const stats = new RtpStats(codecs);
  const start = stats.snapshot(0);
  const packets = vp8Stream(31); // 31 frames at 30 fps: 30 frame intervals over 1 s of RTP time
  packets.forEach((p, i) => stats.add(p, 100 + i));
  const end = stats.snapshot(1100);
  t.equal(stats.codec, 'VP8');
  t.equal(stats.received, 93);
  t.equal(stats.expected, 93, 'the sequence wrapped from 65530 without counting a gap');
  t.equal(stats.frames, 31);
  t.equal(stats.keyframes, 1);
  t.equal(stats.firstKeyframeAt, 100);
  const r = rates(start, end);
  t.equal(r.fps, 30, '30 frames after the first, over 1 s of RTP timestamps');
  t.equal(r.lossPercent, 0);
  t.equal(r.kbps, (packets.reduce((n, p) => n + p.length, 0) * 8) / 1100);
});

t.test('sequence gaps are loss; reordering and retransmissions are not', async (t) => {
  const stats = new RtpStats(codecs);
  const packets = vp8Stream(10, 2, 1000, 0); // seq 1000..1019
  const kept = packets.filter((_, i) => i !== 5 && i !== 6 && i !== 12); // lose 3 of 20
  [kept[3], kept[4]] = [kept[4]!, kept[3]!]; // one reordered pair
  const before = stats.snapshot(0);
  for (const p of kept) stats.add(p, 1);
  stats.add(rtp({ pt: 97, seq: 7, ts: 0, ssrc: 0x9999, payload: [0, 0] }), 1); // rtx: another SSRC and payload type
  const r = rates(before, stats.snapshot(1000));
  t.equal(r.expected, 20);
  t.equal(r.lost, 3);
  t.equal(r.lossPercent, 15);
  t.equal(stats.received, 17, 'the rtx packet is not counted as video');
});

t.test('rates between two snapshots cover only what came in between', async (t) => {
  const stats = new RtpStats(codecs);
  const packets = vp8Stream(61, 1, 0, 0);
  packets.slice(0, 31).forEach((p) => stats.add(p, 0));
  const middle = stats.snapshot(1000);
  packets.slice(31).forEach((p, i) => i % 2 === 1 && stats.add(p, 1500)); // frames 32, 34 … 60: 15 fps, 50 % loss
  const r = rates(middle, stats.snapshot(2000));
  t.equal(r.fps, 15);
  t.equal(r.lossPercent, 50);
});

t.test('H.264: a keyframe from STAP-A + FU-A, frames by marker bit', async (t) => {
  const stats = new RtpStats(codecs);
  stats.add(rtp({ pt: 102, seq: 1, ts: 0, payload: H264.stapA }), 10);
  stats.add(rtp({ pt: 102, seq: 2, ts: 0, payload: H264.fuStartIdr }), 11);
  stats.add(rtp({ pt: 102, seq: 3, ts: 0, marker: true, payload: H264.fuEndIdr }), 12);
  stats.add(rtp({ pt: 102, seq: 4, ts: 3000, marker: true, payload: H264.single }), 40);
  t.equal(stats.codec, 'H264');
  t.equal(stats.firstKeyframeAt, 10);
  t.equal(stats.keyframes, 2, 'the STAP-A and the FU-A start both mark the keyframe');
  t.equal(stats.frames, 2);
});

t.test('VP8 inside RED, with ULPFEC in RED on the same sequence numbers, as Chrome sends it', async (t) => {
  const stats = new RtpStats(codecs);
  const before = stats.snapshot(0);
  const vp8 = vp8Stream(3, 1, 10, 0);
  const red = (p: Buffer) => Buffer.concat([p.subarray(0, 20), Buffer.from([96]), p.subarray(20)]);
  const wrap = (p: Buffer) => { const r = red(p); r[1] = (r[1]! & 0x80) | 118; return r; };
  stats.add(wrap(vp8[0]!), 5);
  stats.add(rtp({ pt: 118, seq: 11, ts: 0, payload: [120, 0x00, 0x01] }), 6); // FEC: counted in sequence, not a frame
  stats.add(wrap(rtp({ pt: 96, seq: 12, ts: 3000, marker: true, payload: [0x90, 0x80, 0x80, 0x01, 0x11] })), 40);
  stats.add(wrap(rtp({ pt: 96, seq: 13, ts: 6000, marker: true, payload: [0x90, 0x80, 0x80, 0x02, 0x11] })), 70);
  t.equal(stats.codec, 'VP8');
  t.equal(stats.firstKeyframeAt, 5);
  t.equal(stats.frames, 3);
  const r = rates(before, stats.snapshot(100));
  t.equal(r.expected, 4);
  t.equal(r.lost, 0);
  t.equal(r.fps, 30);
});

t.test('nothing received: no rates', async (t) => {
  const stats = new RtpStats(codecs);
  const r = rates(stats.snapshot(0), stats.snapshot(1000));
  t.same(r, { kbps: 0, fps: null, lossPercent: 0, lost: 0, expected: 0 });
  t.equal(stats.firstKeyframeAt, null);
});

t.test('payloadCodecs reads a Chrome offer', async (t) => {
  const sdp = 'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=rtpmap:102 H264/90000\r\na=rtpmap:111 opus/48000/2\r\n';
  t.same([...payloadCodecs(sdp)], [[96, 'VP8'], [97, 'RTX'], [102, 'H264'], [111, 'OPUS']]);
});
