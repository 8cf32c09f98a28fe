import t from 'tap';
import { formatSummary } from '../../scripts/simulate/report.ts';
import { summarize } from '../../scripts/simulate/summary.ts';
import { connected, failed, usage } from './fixtures/results.ts';

const info = { relayUrl: 'ws://127.0.0.1:3000/ws', rooms: ['main'], durationMs: 10_000, process: usage };

t.test('a successful run', async (t) => {
  const text = formatSummary(summarize([connected(0, 10, 1200), connected(1, 20, 1600)], info));
  t.match(text, /^2 watchers → ws:\/\/127\.0\.0\.1:3000\/ws, room "main"\n/);
  t.match(text, /\n {2}connected +2\/2 \(100\.0 %\)\n/);
  t.match(text, /\n {2}failed +0\n/);
  t.match(text, /\n {2}from getBroadcast to +p50 +p95 +p99 +max\n/);
  t.match(text, /\n {4}offer +10 +20 +20 +20 {2}ms\n/);
  t.match(text, /\n {4}ICE connected +110 +120 +120 +120 {2}ms\n/);
  t.match(text, /\n {4}first RTP +210 /);
  t.match(text, /\n {4}first keyframe +260 +270 +270 +270 {2}ms\n/);
  t.match(text, /\n {4}video \(10 s window\) +1,200 +1,200 +1,600 +1,600 {2}kbit\/s\n/);
  t.match(text, /\n {4}frame rate +30\.0 +30\.0 +30\.0 +30\.0 {2}frames\/s\n/);
  t.match(text, /\n {2}video total +2,800 kbit\/s\n/);
  t.match(text, /\n {2}RTCP sent +PLI 1, NACK 0\n/);
  t.match(text, /\n {2}candidate types +host 100 %\n/);
  t.match(text, /\n {2}simulator CPU +10 % of one core, 5\.00 % per watcher \(user 700 ms, system 400 ms over 11,000 ms\)\n/);
  t.match(text, /\n {2}simulator memory +RSS peak 180 MiB, at end 150 MiB, 40,960 KiB per watcher$/);
  t.notMatch(text, /failures:/);
});

t.test('a failed run says why', async (t) => {
  const text = formatSummary(summarize([failed(0, 'unreachable', 'cannot open ws://127.0.0.1:1/ws: connect ECONNREFUSED')], info));
  t.match(text, /^1 watcher → /);
  t.match(text, /\n {4}offer +-/);
  t.match(text, /\nfailures:\n {2}unreachable × 1: cannot open ws:\/\/127\.0\.0\.1:1\/ws: connect ECONNREFUSED$/);
});
