/**
 * Mesh capacity: a Chromium broadcaster at 854×480 (its page encodes once per watcher), and simulated node-datachannel
 * watchers added one at a time until the slowest watcher's received frame rate (RTP timestamps and marker bits)
 * falls below 0.9× the capture rate. At each step: the slowest and median frame rates, the broadcaster's CPU (all
 * Chromium processes, % of one core, and per viewer), the total upstream (sum of what the watchers received,
 * Mbit/s), and the senders' `qualityLimitationReason`s. Run with the page's sender adaptation off (`?adapt=off`)
 * and on (the default), in the same run.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChromiumBroadcaster, type ChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import type { MediaReceiver } from '../simulate/media-receiver.ts';
import { cleanupNodeDataChannel } from '../simulate/native.ts';
import { rates, type RtpSnapshot } from '../simulate/rtp-stats.ts';
import { runWatcher, type WatcherResult } from '../simulate/watcher.ts';
import { startServerProcess } from './server-process.ts';
import { capacityOf, endRun, measureStep } from './steps.ts';

export interface MeshStep {
  viewers: number;
  /** Received frame rate over the measuring window, frames/s: the slowest watcher and the median. */
  slowestFps: number;
  medianFps: number;
  /** Chromium's CPU over the window, % of one core, in total and per viewer. */
  cpuPercent: number;
  cpuPercentPerViewer: number;
  /** What all watchers received over the window, Mbit/s. */
  upstreamMbps: number;
  /** How many senders report each `qualityLimitationReason`. */
  qualityLimitation: Record<string, number>;
  /** The smallest frame width any sender sends, in pixels. */
  minFrameWidth: number | null;
}

export interface MeshRun {
  adapt: boolean;
  steps: MeshStep[];
  /** The most viewers at which the slowest still got ≥ 0.9× the capture rate (0 if not even one). */
  capacity: number;
  /** Why the run stopped: `fps` (fell below), `max` (the step limit), or a watcher's failure code. */
  stoppedBy: string;
}

export interface MeshResult {
  capture: { width: number; height: number; fps: number };
  runs: MeshRun[];
  /** Capacity with adaptation ÷ without (goal ≥ 1.5). */
  ratio: number | null;
}

interface MeshOptions {
  capture: { width: number; height: number; fps: number };
  maxViewers: number;
  /** After adding a watcher, ms to let the bandwidth estimate settle, then ms to measure over. */
  settleMs: number;
  windowMs: number;
  env: Record<string, string>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function run(adapt: boolean, opts: MeshOptions): Promise<MeshRun> {
  const server = await startServerProcess('onair', { env: opts.env });
  const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['mesh'], capture: opts.capture, adapt, timeoutMs: 30_000 }).catch(async (err: unknown) => {
    await server.close();
    throw err;
  });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every watcher listens on it
  const receivers: MediaReceiver[] = [];
  const watchers: Promise<WatcherResult>[] = [];
  const steps: MeshStep[] = [];
  const held = (s: MeshStep) => s.slowestFps >= 0.9 * opts.capture.fps;
  let stoppedBy = 'max';
  try {
    for (let n = 1; n <= opts.maxViewers; n++) {
      let onReceiving: (receiver: MediaReceiver) => void = () => {};
      const receiving = new Promise<MediaReceiver>((resolve) => (onReceiving = resolve));
      const watcher = runWatcher(
        { index: n, relayUrl: server.wsUrl, room: 'mesh', durationMs: 3_600_000, timeoutMs: 30_000, bindAddress: '127.0.0.1', rembBitrate: 10_000_000 },
        { receiving: (_, receiver) => onReceiving(receiver) },
        stop.signal,
      );
      watchers.push(watcher);
      const first = await Promise.race([receiving, watcher]);
      if (!('videoStats' in first)) {
        stoppedBy = first.failure?.code ?? 'failed';
        break;
      }
      receivers.push(first);
      await sleep(opts.settleMs);
      const step = await measureStep(() => measure(receivers, broadcaster, opts.windowMs), held);
      steps.push(step);
      if (!held(step)) {
        stoppedBy = 'fps';
        break;
      }
    }
  } finally {
    await endRun({ stop, watchers, broadcaster, server });
  }
  return { adapt, steps, capacity: capacityOf(steps, held), stoppedBy };
}

/** One measuring window over every receiver and the broadcaster. */
async function measure(receivers: readonly MediaReceiver[], broadcaster: ChromiumBroadcaster, windowMs: number): Promise<MeshStep> {
  const n = receivers.length;
  const before: RtpSnapshot[] = receivers.map((r) => r.videoStats.snapshot());
  const cpuBefore = broadcaster.cpuMs();
  const startedAt = performance.now();
  await sleep(windowMs);
  const window = receivers.map((r, i) => rates(before[i]!, r.videoStats.snapshot()));
  const cpuPercent = ((broadcaster.cpuMs() - cpuBefore) / (performance.now() - startedAt)) * 100;
  const senders = await broadcaster.senders();
  const qualityLimitation: Record<string, number> = {};
  for (const s of senders) {
    const reason = s.qualityLimitationReason ?? 'unknown';
    qualityLimitation[reason] = (qualityLimitation[reason] ?? 0) + 1;
  }
  const fps = window.map((w) => w.fps ?? 0);
  const widths = senders.map((s) => s.frameWidth).filter((w): w is number => w !== null);
  return {
    viewers: n,
    slowestFps: Math.min(...fps),
    medianFps: median(fps),
    cpuPercent,
    cpuPercentPerViewer: cpuPercent / n,
    upstreamMbps: window.reduce((sum, w) => sum + w.kbps, 0) / 1000,
    qualityLimitation,
    minFrameWidth: widths.length > 0 ? Math.min(...widths) : null,
  };
}

/**
 * Measure the mesh without and with the broadcaster's adaptation. Calls `cleanupNodeDataChannel()` at the end.
 */
export async function benchMesh(opts: MeshOptions): Promise<MeshResult> {
  try {
    const runs = [await run(false, opts), await run(true, opts)];
    const [off, on] = runs;
    return { capture: opts.capture, runs, ratio: off!.capacity > 0 ? on!.capacity / off!.capacity : null };
  } finally {
    cleanupNodeDataChannel();
  }
}
