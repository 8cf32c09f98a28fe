/**
 * The summary as text for a person: counts, a table of time to offer / ICE connected / first RTP / first keyframe
 * (ms), bitrate (kbit/s), frame rate and loss as p50/p95/p99/max, candidate types, what the simulator and the
 * broadcaster cost, and why watchers failed.
 */
import type { Distribution } from './percentiles.ts';
import { chosenLayerText, type Summary } from './summary.ts';

const round = (n: number) => Math.round(n).toLocaleString('en-US');
const FIELDS = ['p50', 'p95', 'p99', 'max'] as const;

/** One table row: label, then p50/p95/p99/max (or min for rates, where low is bad) in fixed columns. */
function tableRow(label: string, d: Distribution | null, unit: string, digits = 0, low = false): string {
  const cell = (v: number) => (digits ? v.toFixed(digits) : round(v)).padStart(9);
  const cells = d ? (low ? [d.p50, d.min, d.p95, d.max] : FIELDS.map((f) => d[f])).map(cell).join('') : '        -'.padEnd(36);
  return `  ${label.padEnd(26)}${cells}  ${unit}`;
}

/**
 * Format a summary over several lines (no trailing newline).
 *
 * @param summary the run's summary
 */
export function formatSummary(summary: Summary): string {
  const s = summary;
  const p = s.process;
  const row = (label: string, value: string) => `  ${label.padEnd(26)}${value}`;
  const t = s.timesMs;
  const rooms = s.rooms.length === 1 ? `room "${s.rooms[0]}"` : `${s.rooms.length} rooms`;
  const lines = [
    `${s.watchers} ${s.signalingOnly ? 'signalling-only ' : ''}watcher${s.watchers === 1 ? '' : 's'} → ${s.relayUrl}, ${rooms}`,
    row('joined', `${s.joined}/${s.watchers}`),
    row('connected', `${s.connected}/${s.watchers} (${(s.connectedRatio * 100).toFixed(1)} %)`),
    row('failed', String(s.failed)),
    `  ${'from getBroadcast to'.padEnd(26)}${FIELDS.map((f) => f.padStart(9)).join('')}`,
    tableRow('  offer', t.offer, 'ms'),
  ];
  if (s.signalingOnly) {
    lines.push(tableRow('  answer sent', t.answered, 'ms'));
  } else {
    lines.push(
      tableRow('  ICE connected', t.iceConnected, 'ms'),
      tableRow('  first RTP', t.firstRtp, 'ms'),
      tableRow('  first keyframe', t.firstKeyframe, 'ms'),
      `  ${'per watcher'.padEnd(26)}${['p50', 'min', 'p95', 'max'].map((f) => f.padStart(9)).join('')}`,
      tableRow(`  video (${(s.durationMs / 1000).toFixed(0)} s window)`, s.videoKbps.perWatcher, 'kbit/s', 0, true),
      tableRow('  video, 2nd half', s.videoKbps.steady, 'kbit/s', 0, true),
      tableRow('  frame rate', s.fps, 'frames/s', 1, true),
      `  ${'per watcher'.padEnd(26)}${FIELDS.map((f) => f.padStart(9)).join('')}`,
      tableRow('  packet loss', s.lossPercent, '%', 2),
      row('video total', `${round(s.videoKbps.total)} kbit/s`),
      row('RTCP sent', `PLI ${s.feedback.pli}, NACK ${s.feedback.nack}`),
      row('path', Object.entries(s.paths).map(([path, n]) => `${path === 'sfu' ? 'via the media server' : 'peer to peer'} ${n}`).join(', ') || '-'),
      row('layer received', Object.entries(s.layers).map(([layer, n]) => `${layer} × ${n}`).join(', ') || '-'),
      ...layerRows(s, row),
      row('candidate types', Object.entries(s.candidateTypes).map(([type, share]) => `${type} ${(share * 100).toFixed(0)} %`).join(', ') || '-'),
    );
  }
  lines.push(
    row('simulator CPU', `${p.cpuPercent.toFixed(0)} % of one core, ${s.perWatcher.cpuPercent.toFixed(2)} % per watcher ` +
      `(user ${round(p.cpuUserMs)} ms, system ${round(p.cpuSystemMs)} ms over ${round(p.wallMs)} ms)`),
    row('simulator memory', `RSS peak ${p.rssPeakMiB.toFixed(0)} MiB, at end ${p.rssEndMiB.toFixed(0)} MiB, ` +
      `${round(s.perWatcher.rssKiB)} KiB per watcher`),
  );
  if (s.broadcaster.cpuPercent !== undefined) lines.push(row('broadcaster CPU', `${s.broadcaster.cpuPercent.toFixed(0)} % of one core (Chromium, all processes)`));
  for (const b of s.broadcaster.sim ?? []) {
    lines.push(row(`sim broadcaster "${b.room}"`, `${b.offers} offers sent, ${b.answers} answers and ${b.candidates} candidates received`));
  }
  const failures = Object.entries(s.failures);
  if (failures.length > 0) {
    lines.push('failures:');
    for (const [code, { count, example }] of failures) lines.push(`  ${code} × ${count}: ${example}`);
  }
  return lines.join('\n');
}

/** Through the SFU: the layers chosen and switches in total, then each watcher's (up to {@link MAX_LAYER_LINES}). */
const MAX_LAYER_LINES = 20;
function layerRows(s: Summary, row: (label: string, value: string) => string): string[] {
  const sfu = s.results.filter((r) => r.layer);
  if (sfu.length === 0) return [];
  const lines = [
    row('layer chosen', Object.entries(s.chosenLayers).map(([layer, n]) => `${layer} × ${n}`).join(', ')),
    row('layer switches', String(s.layerSwitches)),
  ];
  for (const r of sfu.slice(0, MAX_LAYER_LINES)) {
    lines.push(row(`  watcher ${r.index}`, `${chosenLayerText(r.layer!.layer)}, ${r.layer!.switches} switch${r.layer!.switches === 1 ? '' : 'es'}`));
  }
  if (sfu.length > MAX_LAYER_LINES) lines.push(row('  …', `${sfu.length - MAX_LAYER_LINES} more in --json`));
  return lines;
}
