import t from 'tap';
import { summarize } from '../../scripts/simulate/summary.ts';
import { connected, failed, usage } from './fixtures/results.ts';

const info = { relayUrl: 'ws://127.0.0.1:3000/ws', room: 'main', durationMs: 10_000, process: usage };

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
  t.same(summary.timesMs.offer, { count: 3, min: 10, p50: 20, p95: 30, max: 30 });
  t.same(summary.timesMs.iceConnected, { count: 3, min: 110, p50: 120, p95: 130, max: 130 });
  t.same(summary.timesMs.firstRtp, { count: 3, min: 210, p50: 220, p95: 230, max: 230 });
  const spread = { count: 3, min: 900, p50: 1200, p95: 1500, max: 1500 };
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
  t.same(summary.timesMs, { offer: null, iceConnected: null, firstRtp: null });
  t.same(summary.videoKbps, { perWatcher: null, steady: null, total: 0 });
  t.equal(summary.failures.unreachable?.count, 1);
});

t.test('the summary survives JSON', async (t) => {
  const summary = summarize([connected(0, 10, 1000)], info);
  t.same(JSON.parse(JSON.stringify(summary)), summary);
});
