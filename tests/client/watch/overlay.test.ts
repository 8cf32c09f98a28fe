/** The overlay's figures from two getStats() snapshots a second apart. */
import t from 'tap';
import { figures } from '../../../client/watch/overlay.ts';
import type { StatsSnapshot } from '../../../client/shared/stats.ts';

const before: StatsSnapshot = {
  timestamp: 10_000,
  local: 'relay',
  remote: 'relay',
  rttMs: 41.6,
  videoBytes: 1_000_000,
  totalBytes: 1_100_000,
  fps: 29.7,
  width: 1280,
  height: 720,
  packetsLost: 10,
  packetsReceived: 1000,
  jitterBufferDelay: 3,
  jitterBufferEmittedCount: 100,
};

t.test('rates and ratios over the last second', async (t) => {
  const now = { ...before, timestamp: 11_000, videoBytes: 1_250_000, packetsLost: 12, packetsReceived: 1098, jitterBufferDelay: 4.5, jitterBufferEmittedCount: 130 };
  t.same(figures(now, before), {
    resolution: '1280×720',
    frameRate: '30 fps',
    bitrate: '2,000 kbit/s',
    packetLoss: '2.0 %',
    jitterBufferDelay: '50 ms',
    roundTripTime: '42 ms',
    candidateType: 'relayed via TURN',
  });
});

t.test('the first snapshot, and missing figures', async (t) => {
  const empty = { ...before, local: null, remote: null, rttMs: null, fps: null, width: null, height: null, packetsLost: 0, packetsReceived: 0, jitterBufferEmittedCount: 0 };
  t.same(figures(empty, null), {
    resolution: '–',
    frameRate: '–',
    bitrate: '–',
    packetLoss: '0.0 %',
    jitterBufferDelay: '–',
    roundTripTime: '–',
    candidateType: '–',
  });
  t.equal(figures({ ...before, local: 'host', remote: 'srflx' }, null).candidateType, 'direct (host) ↔ srflx');
});
