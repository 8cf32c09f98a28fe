/**
 * The summary as text for a person: counts, time to offer / ICE connected / first RTP (ms), video bitrate
 * (kbit/s), what the simulator cost, and why watchers failed.
 */
import type { Distribution } from './percentiles.ts';
import type { Summary } from './summary.ts';

const round = (n: number) => Math.round(n).toLocaleString('en-US');

function spread(d: Distribution | null, unit: string, fields: readonly (keyof Distribution)[]): string {
  if (!d) return '-';
  return fields.map((f) => `${f} ${round(d[f])} ${unit}`.padEnd(18)).join('').trimEnd();
}

/**
 * Format a summary over several lines (no trailing newline).
 *
 * @param summary the run's summary
 */
export function formatSummary(summary: Summary): string {
  const s = summary;
  const p = s.process;
  const row = (label: string, value: string) => `  ${label.padEnd(30)}${value}`;
  const lines = [
    `${s.watchers} watcher${s.watchers === 1 ? '' : 's'} → ${s.relayUrl}, room "${s.room}"`,
    row('joined', `${s.joined}/${s.watchers}`),
    row('connected', `${s.connected}/${s.watchers}`),
    row('failed', String(s.failed)),
    row('getBroadcast → offer', spread(s.timesMs.offer, 'ms', ['p50', 'p95', 'max'])),
    row('getBroadcast → ICE connected', spread(s.timesMs.iceConnected, 'ms', ['p50', 'p95', 'max'])),
    row('getBroadcast → first RTP', spread(s.timesMs.firstRtp, 'ms', ['p50', 'p95', 'max'])),
    row(`video per watcher (${(s.durationMs / 1000).toFixed(0)} s)`, spread(s.videoKbps.perWatcher, 'kbit/s', ['p50', 'min'])),
    row('video per watcher, 2nd half', spread(s.videoKbps.steady, 'kbit/s', ['p50', 'min'])),
    row('video total', `${round(s.videoKbps.total)} kbit/s`),
    row('simulator CPU', `${p.cpuPercent.toFixed(0)} % of one core ` +
      `(user ${round(p.cpuUserMs)} ms, system ${round(p.cpuSystemMs)} ms over ${round(p.wallMs)} ms)`),
    row('simulator memory', `RSS peak ${p.rssPeakMiB.toFixed(0)} MiB, at end ${p.rssEndMiB.toFixed(0)} MiB`),
  ];
  const failures = Object.entries(s.failures);
  if (failures.length > 0) {
    lines.push('failures:');
    for (const [code, { count, example }] of failures) lines.push(`  ${code} × ${count}: ${example}`);
  }
  return lines.join('\n');
}
