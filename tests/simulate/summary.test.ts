import t from 'tap';
import { SMALL_PLAYER_HEIGHT } from '../../scripts/simulate/options.ts';
import { formatSummary } from '../../scripts/simulate/report.ts';
import { profileOf } from '../../scripts/simulate/run.ts';
import { summarize } from '../../scripts/simulate/summary.ts';
import { connected, failed, usage } from './fixtures/results.ts';

const info = { relayUrl: 'ws://127.0.0.1:3000/ws', rooms: ['main'], durationMs: 10_000, process: usage };

t.test('counts, distributions and bitrate over the connected watchers', async (t) => {
  const results = [
    connected(2, 30, 1500),
    failed(3, 'no_broadcaster', 'no broadcaster went live in room "main" within 20 s'),
    connected(0, 10, 1200),
    connected(1, 20, 900),
    failed(4, 'no_broadcaster', 'second message, not kept'),
  ];
  const summary = summarize(results, info);
  t.equal(summary.watchers, 5);
  t.equal(summary.joined, 5);
  t.equal(summary.connected, 3);
  t.equal(summary.failed, 2);
  t.same(summary.failures, { no_broadcaster: { count: 2, example: 'no broadcaster went live in room "main" within 20 s' } });
  t.same(summary.timesMs.offer, { count: 3, min: 10, p50: 20, p95: 30, p99: 30, max: 30 });
  t.same(summary.timesMs.iceConnected, { count: 3, min: 110, p50: 120, p95: 130, p99: 130, max: 130 });
  t.same(summary.timesMs.firstRtp, { count: 3, min: 210, p50: 220, p95: 230, p99: 230, max: 230 });
  t.same(summary.timesMs.firstKeyframe, { count: 3, min: 260, p50: 270, p95: 280, p99: 280, max: 280 });
  t.equal(summary.connectedRatio, 3 / 5);
  const spread = { count: 3, min: 900, p50: 1200, p95: 1500, p99: 1500, max: 1500 };
  t.same(summary.videoKbps, { perWatcher: spread, steady: spread, total: 3600 });
  t.same(summary.results.map((r) => r.index), [0, 1, 2, 3, 4], 'results in watcher order');
  t.equal(summary.process, usage);
  t.equal(summary.relayUrl, info.relayUrl);
  t.equal(summary.durationMs, 10_000);
});

t.test('a run where nobody connected has no distributions', async (t) => {
  const summary = summarize([failed(0, 'unreachable', 'cannot open ws://127.0.0.1:1/ws: connect ECONNREFUSED')], info);
  t.equal(summary.joined, 0);
  t.equal(summary.connected, 0);
  t.same(summary.timesMs, { offer: null, answered: null, iceConnected: null, firstRtp: null, firstKeyframe: null });
  t.equal(summary.fps, null);
  t.same(summary.candidateTypes, {});
  t.same(summary.videoKbps, { perWatcher: null, steady: null, total: 0 });
  t.equal(summary.failures.unreachable?.count, 1);
});

t.test('frame rate, loss, feedback and candidate type shares', async (t) => {
  const results = [connected(0, 10, 1000, 30, 0, 'host'), connected(1, 10, 1000, 24, 2, 'relay'), connected(2, 10, 1000, 29, 1, 'host'), connected(3, 10, 1000, 30, 0, 'host')];
  const summary = summarize(results, info);
  t.same(summary.fps, { count: 4, min: 24, p50: 29, p95: 30, p99: 30, max: 30 });
  t.same(summary.lossPercent, { count: 4, min: 0, p50: 0, p95: 2, p99: 2, max: 2 });
  t.same(summary.feedback, { pli: 2, nack: 0 });
  t.same(summary.candidateTypes, { host: 0.75, relay: 0.25 });
  t.equal(summary.perWatcher.cpuPercent, 10 / 4, 'the simulator CPU per watcher');
  t.equal(summary.perWatcher.rssKiB, (80 * 1024) / 4, 'RSS growth per watcher');
});

t.test('the summary survives JSON', async (t) => {
  const summary = summarize([connected(0, 10, 1000)], info);
  t.same(JSON.parse(JSON.stringify(summary)), summary);
});

t.test('through the SFU: the layers chosen and the switches, from each watcher\'s outcome', async (t) => {
  const results = [connected(0, 10, 300), connected(1, 10, 1500), connected(2, 10, 150), connected(3, 10, 1500)];
  results[0]!.layer = { layer: { substream: 0, temporal: 2, height: 180, reason: 'bandwidth' }, switches: 1, reports: 8 };
  results[1]!.layer = { layer: { substream: 2, temporal: 2, height: 720, reason: 'best' }, switches: 0, reports: 8 };
  results[2]!.layer = { layer: { substream: 0, temporal: 0, height: 180, reason: 'small player' }, switches: 2, reports: 8 };
  const summary = summarize(results, info);
  t.same(summary.chosenLayers, { '180p: bandwidth': 1, '720p': 1, '180p (temporal 0): small player': 1 });
  t.equal(summary.layerSwitches, 3);
  const text = formatSummary(summary);
  t.match(text, /layer chosen\s+180p: bandwidth × 1, 720p × 1/);
  t.match(text, /watcher 0\s+180p: bandwidth, 1 switch\n/);
  t.match(text, /watcher 1\s+720p, 0 switches/);
  t.notMatch(text, /watcher 3/, 'a watcher on the mesh has no layer line');
});

t.test('which watchers report a weak link or a small player', async (t) => {
  const options = { weak: 2, weakKbps: 250, small: 1 };
  t.same([0, 1, 2, 3].map((i) => profileOf(options, i)), [
    { bandwidthKbps: 250, displayHeight: 1080 },
    { bandwidthKbps: 250, displayHeight: 1080 },
    { bandwidthKbps: null, displayHeight: SMALL_PLAYER_HEIGHT },
    { bandwidthKbps: null, displayHeight: 1080 },
  ]);
  t.same(profileOf({}, 0), { bandwidthKbps: null, displayHeight: 1080 }, 'by default none');
});
