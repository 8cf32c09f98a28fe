/** Reading getStats() reports: the selected pair, video RTP, and rates. */
import t from 'tap';
import { formatBitrate, kbps, snapshot } from '../../../client/shared/stats.ts';

/** A report shaped like Chrome's (a Map of stats by id). */
function report(stats: Record<string, unknown>[]): RTCStatsReport {
  return new Map(stats.map((s) => [s.id as string, { timestamp: 5000, ...s }]));
}

t.test('snapshot of an outbound (broadcaster) report', async (t) => {
  const snap = snapshot(
    report([
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.012 },
      { id: 'L', type: 'local-candidate', candidateType: 'srflx' },
      { id: 'R', type: 'remote-candidate', candidateType: 'host' },
      { id: 'V', type: 'outbound-rtp', kind: 'video', bytesSent: 4000, framesPerSecond: 24, frameWidth: 640, frameHeight: 360 },
      { id: 'A', type: 'outbound-rtp', kind: 'audio', bytesSent: 1000 },
      { id: 'I', type: 'inbound-rtp', kind: 'video', bytesReceived: 99 },
    ]),
    'outbound',
  );
  t.match(snap, { timestamp: 5000, local: 'srflx', remote: 'host', rttMs: 12, videoBytes: 4000, totalBytes: 5000, fps: 24, width: 640, height: 360 });
});

t.test('no selected pair yet: nulls, not errors', async (t) => {
  const snap = snapshot(report([{ id: 'I', type: 'inbound-rtp', kind: 'video', bytesReceived: 10, packetsLost: 1, packetsReceived: 9 }]), 'inbound');
  t.match(snap, { local: null, remote: null, rttMs: null, videoBytes: 10, packetsLost: 1, packetsReceived: 9 });
});

t.test('kbit/s and its text', async (t) => {
  t.equal(kbps(250_000, 0, 2000, 1000), 2000, '250 kB in 1 s = 2000 kbit/s');
  t.equal(kbps(100, 200, 2000, 1000), 0, 'a counter reset gives 0');
  t.equal(kbps(100, 0, 1000, 1000), 0, 'no time, no rate');
  t.equal(formatBitrate(1234.4), '1,234 kbit/s');
  t.equal(formatBitrate(12_500), '12.5 Mbit/s');
});
