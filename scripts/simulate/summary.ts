/**
 * From the watchers' results to the run's summary: counts, failure reasons, time-to-milestone distributions (ms),
 * received video bitrate (kbit/s), frame rate (frames/s) and packet loss (%), RTCP feedback sent, the selected ICE
 * candidate types as shares, and what the generator itself cost per watcher. The `--json` output is this object.
 */
import type { Layer } from '../../protocol/messages.ts';
import type { WatcherFailureCode } from './errors.ts';
import { distribution, type Distribution } from './percentiles.ts';
import type { ResourceUsage } from './resources.ts';
import type { SimBroadcasterStats } from './sim-broadcaster.ts';
import type { WatcherResult } from './watcher.ts';

/** The broadcaster the simulator started, if any, and what it reported. */
export interface BroadcasterInfo {
  kind: 'none' | 'sim' | 'chromium';
  /** Chromium's process tree over the run, in % of one core. */
  cpuPercent?: number;
  /** Per room, for the simulated broadcaster: offers sent, answers and candidates received. */
  sim?: SimBroadcasterStats[];
}

export interface Summary {
  relayUrl: string;
  /** The rooms watched. */
  rooms: string[];
  /** Whether the watchers did the signalling only. */
  signalingOnly: boolean;
  /** Watchers started. */
  watchers: number;
  joined: number;
  /** Watchers whose peer connection reached 'connected' (signalling-only: that sent their answer). */
  connected: number;
  /** connected ÷ watchers, 0–1. */
  connectedRatio: number;
  /** Watchers with a failure (some of them may have connected first). */
  failed: number;
  /** Failures by code, and one example message per code. */
  failures: Partial<Record<WatcherFailureCode, { count: number; example: string }>>;
  /** From sending `getBroadcast` to each milestone, in ms, over the watchers that reached it. */
  timesMs: {
    offer: Distribution | null;
    answered: Distribution | null;
    iceConnected: Distribution | null;
    firstRtp: Distribution | null;
    firstKeyframe: Distribution | null;
  };
  /** kbit/s per watcher over its whole window, over the window's second half (steady), and the total. */
  videoKbps: { perWatcher: Distribution | null; steady: Distribution | null; total: number };
  /** Received frame rate per watcher (frames/s, from RTP timestamps and marker bits). */
  fps: Distribution | null;
  /** Packet loss per watcher, in % of the packets its sequence numbers say were sent. */
  lossPercent: Distribution | null;
  /** RTCP feedback the watchers sent, in total. */
  feedback: { pli: number; nack: number };
  /** Shares (0–1) of connected watchers by the local candidate type of the selected pair (host, srflx, relay...). */
  candidateTypes: Record<string, number>;
  /** Watchers by who offered: `mesh` (the broadcaster) or `sfu` (the media server). */
  paths: Record<string, number>;
  /** Connected watchers by the resolution (simulcast layer) received, `WIDTHxHEIGHT` (VP8 only; else `unknown`). */
  layers: Record<string, number>;
  /**
   * Through the SFU: watchers by the layer the server chose for them at the end (`360p: bandwidth`; `best` reasons
   * left out: `720p`), and the layer switches in total.
   */
  chosenLayers: Record<string, number>;
  layerSwitches: number;
  /** The receive window asked for, in ms. */
  durationMs: number;
  /** The simulator process during the run. */
  process: ResourceUsage;
  /** The simulator's cost per watcher: % of one core, and KiB of RSS growth (peak − start). */
  perWatcher: { cpuPercent: number; rssKiB: number };
  broadcaster: BroadcasterInfo;
  /** One line per watcher. */
  results: WatcherResult[];
}

/** What the summary reports about the run besides the results. */
export interface RunInfo {
  relayUrl: string;
  rooms: string[];
  signalingOnly?: boolean;
  durationMs: number;
  process: ResourceUsage;
  broadcaster?: BroadcasterInfo;
}

/**
 * Summarize a run.
 *
 * @param results one per watcher, in any order
 * @param info    the run's settings and the process's resource usage
 */
export function summarize(results: readonly WatcherResult[], info: RunInfo): Summary {
  const failures: Summary['failures'] = {};
  for (const r of results) {
    if (!r.failure) continue;
    const entry = failures[r.failure.code];
    if (entry) entry.count++;
    else failures[r.failure.code] = { count: 1, example: r.failure.message };
  }
  const values = (pick: (r: WatcherResult) => number | null) =>
    results.map(pick).filter((v): v is number => v !== null);
  const kbps = values((r) => (r.connected ? r.video.kbps : null));
  const connected = results.filter((r) => r.connected);
  const candidateTypes: Record<string, number> = {};
  for (const r of connected) {
    if (r.candidateTypes) candidateTypes[r.candidateTypes.local] = (candidateTypes[r.candidateTypes.local] ?? 0) + 1;
  }
  for (const type of Object.keys(candidateTypes)) candidateTypes[type]! /= connected.length;
  const n = Math.max(results.length, 1);
  return {
    relayUrl: info.relayUrl,
    rooms: info.rooms,
    signalingOnly: info.signalingOnly ?? false,
    watchers: results.length,
    joined: results.filter((r) => r.joined).length,
    connected: connected.length,
    connectedRatio: results.length > 0 ? connected.length / results.length : 0,
    failed: results.filter((r) => r.failure !== null).length,
    failures,
    timesMs: {
      offer: distribution(values((r) => r.timings.offerMs)),
      answered: distribution(values((r) => r.timings.answeredMs)),
      iceConnected: distribution(values((r) => r.timings.iceConnectedMs)),
      firstRtp: distribution(values((r) => r.timings.firstRtpMs)),
      firstKeyframe: distribution(values((r) => r.timings.firstKeyframeMs)),
    },
    videoKbps: {
      perWatcher: distribution(kbps),
      steady: distribution(values((r) => (r.connected ? r.video.steadyKbps : null))),
      total: kbps.reduce((a, b) => a + b, 0),
    },
    fps: distribution(values((r) => (r.connected ? r.video.fps : null))),
    lossPercent: distribution(values((r) => (r.connected ? r.video.lossPercent : null))),
    feedback: {
      pli: results.reduce((sum, r) => sum + r.feedback.pli, 0),
      nack: results.reduce((sum, r) => sum + r.feedback.nack, 0),
    },
    candidateTypes,
    paths: countBy(results.flatMap((r) => (r.path ? [r.path] : []))),
    layers: countBy(connected.map((r) => (r.video.resolution ? `${r.video.resolution.width}x${r.video.resolution.height}` : 'unknown'))),
    chosenLayers: countBy(results.flatMap((r) => (r.layer ? [chosenLayerText(r.layer.layer)] : []))),
    layerSwitches: results.reduce((sum, r) => sum + (r.layer?.switches ?? 0), 0),
    durationMs: info.durationMs,
    process: info.process,
    perWatcher: {
      cpuPercent: info.process.cpuPercent / n,
      rssKiB: ((info.process.rssPeakMiB - info.process.rssStartMiB) * 1024) / n,
    },
    broadcaster: info.broadcaster ?? { kind: 'none' },
    results: [...results].sort((a, b) => a.index - b.index),
  };
}

/** A watcher's chosen layer in a few words: `720p`, `360p: bandwidth`, `180p: small player`; `none` before any. */
export function chosenLayerText(layer: Layer | null): string {
  if (!layer) return 'none';
  return `${layer.height}p${layer.temporal < 2 ? ` (temporal ${layer.temporal})` : ''}${layer.reason === 'best' ? '' : `: ${layer.reason}`}`;
}

/** How many times each key occurs. */
function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
