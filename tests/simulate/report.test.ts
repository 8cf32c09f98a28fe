import t from 'tap';
import { formatSummary } from '../../scripts/simulate/report.ts';
import { summarize } from '../../scripts/simulate/summary.ts';
import { connected, failed, usage } from './fixtures/results.ts';

const info = { relayUrl: 'ws://127.0.0.1:3000/ws', room: 'main', durationMs: 10_000, process: usage };

t.test('a successful run', async (t) => {
  const text = formatSummary(summarize([connected(0, 10, 1200), connected(1, 20, 1600)], info));
  t.match(text, /^2 watchers → ws:\/\/127\.0\.0\.1:3000\/ws, room "main"\n/);
  t.match(text, /\n  connected +2\/2\n/);
  t.match(text, /\n  failed +0\n/);
  t.match(text, /\n  getBroadcast → offer +p50 10 ms +p95 20 ms +max 20 ms\n/);
  t.match(text, /\n  getBroadcast → ICE connected +p50 110 ms/);
  t.match(text, /\n  getBroadcast → first RTP +p50 210 ms/);
  t.match(text, /\n  video per watcher \(10 s\) +p50 1,200 kbit\/s +min 1,200 kbit\/s\n/);
  t.match(text, /\n  video total +2,800 kbit\/s\n/);
  t.match(text, /\n  simulator CPU +10 % of one core \(user 700 ms, system 400 ms over 11,000 ms\)\n/);
  t.match(text, /\n  simulator memory +RSS peak 180 MiB, at end 150 MiB$/);
  t.notMatch(text, /failures:/);
});

t.test('a failed run says why', async (t) => {
  const text = formatSummary(summarize([failed(0, 'unreachable', 'cannot open ws://127.0.0.1:1/ws: connect ECONNREFUSED')], info));
  t.match(text, /^1 watcher → /);
  t.match(text, /\n  getBroadcast → offer +-\n/);
  t.match(text, /\nfailures:\n  unreachable × 1: cannot open ws:\/\/127\.0\.0\.1:1\/ws: connect ECONNREFUSED$/);
});
