/** The watcher's `layerReport` from two `getStats()` samples a second apart, and reading a sample from a report. */
import t from 'tap';
import { layerReport, receiveSample, type ReceiveSample } from '../../../client/watch/layer-report.ts';
import { parseClientMessage } from '../../../protocol/parse.ts';

const BEFORE: ReceiveSample = {
  timestamp: 10_000,
  packetsLost: 10,
  packetsReceived: 1000,
  freezeCount: 1,
  totalFreezesDuration: 0.5,
  framesDropped: 2,
  jitterBufferDelay: 3,
  jitterBufferEmittedCount: 100,
  bytesReceived: 1_000_000,
  bytesSent: 1_000_000,
  sentAt: 9_900,
  availableIncomingBitrate: null,
  frameHeight: 720,
};

t.test('increments over the interval; a valid protocol message', async (t) => {
  const now = { ...BEFORE, timestamp: 11_000, packetsLost: 20, packetsReceived: 1090, freezeCount: 2, totalFreezesDuration: 1.2, framesDropped: 9, jitterBufferDelay: 4.5, jitterBufferEmittedCount: 130, bytesReceived: 1_125_000, bytesSent: 1_125_000, sentAt: 10_900 };
  const report = layerReport(now, BEFORE, 359.6);
  t.same(report, { type: 'layerReport', lossPercent: 10, freezes: 1, freezeMs: 700, framesDropped: 7, jitterBufferMs: 50, bandwidthKbps: null, displayHeight: 360, frameHeight: 720 });
  t.ok(parseClientMessage(JSON.stringify(report)).ok, 'the schema accepts it');
});

t.test('bandwidth: availableIncomingBitrate when given; else what was received when well below what was sent', async (t) => {
  const later = { ...BEFORE, timestamp: 11_000, sentAt: 10_900 };
  t.equal(layerReport({ ...later, availableIncomingBitrate: 850_000 }, BEFORE, 720).bandwidthKbps, 850);
  // 1 Mbit/s sent (125 kB in a second of sender reports), 400 kbit/s received.
  t.equal(layerReport({ ...later, bytesSent: 1_125_000, bytesReceived: 1_050_000 }, BEFORE, 720).bandwidthKbps, 400);
  t.equal(layerReport({ ...later, bytesSent: 1_125_000, bytesReceived: 1_120_000 }, BEFORE, 720).bandwidthKbps, null, 'received about what was sent: no limit');
  t.equal(layerReport({ ...later, bytesSent: null, sentAt: null }, BEFORE, 720).bandwidthKbps, null, 'no sender report: no estimate');
});

t.test('hidden: display height 0; counters that went back (a new stream) count as 0', async (t) => {
  const report = layerReport({ ...BEFORE, timestamp: 11_000, packetsLost: 0, freezeCount: 0 }, BEFORE, 0);
  t.match(report, { displayHeight: 0, lossPercent: 0, freezes: 0 });
});

t.test("a sample is read from the video inbound-rtp, its sender report and the selected pair", async (t) => {
  const stats = new Map<string, Record<string, unknown>>([
    ['a', { id: 'a', type: 'inbound-rtp', kind: 'audio', timestamp: 5, packetsLost: 99 }],
    ['v', { id: 'v', type: 'inbound-rtp', kind: 'video', timestamp: 5000, remoteId: 'r', packetsLost: 3, packetsReceived: 300, freezeCount: 1, totalFreezesDuration: 0.4, framesDropped: 2, jitterBufferDelay: 1, jitterBufferEmittedCount: 20, bytesReceived: 9000, frameHeight: 360 }],
    ['r', { id: 'r', type: 'remote-outbound-rtp', kind: 'video', timestamp: 5000, bytesSent: 9500, remoteTimestamp: 4900 }],
    ['p', { id: 'p', type: 'candidate-pair', nominated: true, state: 'succeeded', timestamp: 5000, availableIncomingBitrate: 1_200_000 }],
  ]);
  const report = { forEach: (f: (s: Record<string, unknown>) => void) => stats.forEach((s) => f(s)) } as unknown as RTCStatsReport;
  t.same(receiveSample(report), {
    timestamp: 5000,
    packetsLost: 3,
    packetsReceived: 300,
    freezeCount: 1,
    totalFreezesDuration: 0.4,
    framesDropped: 2,
    jitterBufferDelay: 1,
    jitterBufferEmittedCount: 20,
    bytesReceived: 9000,
    bytesSent: 9500,
    sentAt: 4900,
    availableIncomingBitrate: 1_200_000,
    frameHeight: 360,
  });
  stats.delete('v');
  t.equal(receiveSample(report), null, 'no video yet');
});
