/**
 * Audience: how many viewers one Chromium broadcaster (854×480, 30 fps) serves at full quality on each media path,
 * in one run. Simulated node-datachannel watchers are added (one at a time on the mesh, in growing groups through
 * the SFU) until the slowest receives under 27 fps or any receives below full resolution (the VP8 keyframes' size):
 * the mesh with the page's adaptation off, the mesh with it on, and the SFU (Janus, `MESH_MAX_VIEWERS=0`). At each
 * step: the broadcaster's CPU (all Chromium processes), Janus's CPU in total and per viewer, the simulator's own CPU.
 * Then the SFU again with the broadcaster at 1280×720 (simulcast, 3 layers; every watcher gets the top one).
 * Also: a Chromium late joiner's time to first frame via the mesh and via the SFU, and the longest picture freeze a
 * watch page saw while its room escalated (two Chromium watchers on the mesh, `MESH_MAX_VIEWERS=2`, a third joins).
 * The issue's goals are reported against these figures, never asserted.
 */
import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'puppeteer';
import { firstFrameShown, longestGap, viaMediaServer, watchGaps } from '../in-page/watch-page.ts';
import { processCpuMs, processTree } from '../lib/proc.ts';
import { startChromiumBroadcaster, type ChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import type { MediaReceiver } from '../simulate/media-receiver.ts';
import { cleanupNodeDataChannel } from '../simulate/native.ts';
import { distribution, type Distribution } from '../simulate/percentiles.ts';
import { rates, type RtpSnapshot } from '../simulate/rtp-stats.ts';
import { runWatcher, type WatcherResult } from '../simulate/watcher.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { capacityOf, endRun, measureStep } from './steps.ts';
import { breakdownP50, watchRound } from './ttff.ts';

/** The test namespace's veth address (made by `npm run bench`'s namespace, as by `npm test`): Janus gathers there. */
export const SFU_ADDRESS = '10.77.0.1';
const MIN_FPS = 27;

/** The run: the mesh with the adaptation off or on, the SFU, the SFU with the simulcast capture (1280×720). */
export type AudiencePath = 'mesh' | 'mesh-adapt' | 'sfu' | 'sfu-simulcast';

export interface AudienceStep {
  viewers: number;
  slowestFps: number;
  /** Viewers whose latest keyframe is at the capture's full resolution. */
  fullResolution: number;
  /** Chromium (all processes), Janus, and the simulator, % of one core over the window. */
  broadcasterCpuPercent: number;
  janusCpuPercent: number | null;
  janusCpuPercentPerViewer: number | null;
  simulatorCpuPercent: number;
}

export interface AudienceRun {
  path: AudiencePath;
  /** The broadcaster's camera in this run. */
  capture: { width: number; height: number; fps: number };
  steps: AudienceStep[];
  /** The most viewers at full resolution with the slowest at ≥ 27 fps (0 if not even one). */
  capacity: number;
  /** `fps`, `resolution`, `max` (the step limit), or a watcher's failure code. */
  stoppedBy: string;
  /** A Chromium late joiner's time to first frame, ms (from navigation), on this path. */
  ttffMs: Distribution | null;
  /** The late joiner's milestones (`window.onair.timings()`), p50 of each, ms from navigation. */
  ttffBreakdownP50Ms: Record<string, number>;
}

export interface AudienceResult {
  capture: { width: number; height: number; fps: number };
  runs: AudienceRun[];
  /** The longest gap between decoded frames a migrating watch page saw during escalation, ms; null if not measured. */
  escalationMaxGapMs: number | null;
}

export interface AudienceOptions {
  capture: { width: number; height: number; fps: number };
  /** The capture of the last SFU run (simulcast: Chromium sends 3 layers at 1280×720); null: no such run. */
  simulcastCapture: { width: number; height: number; fps: number } | null;
  /** Viewer counts to measure at, per path. */
  meshSteps: number[];
  sfuSteps: number[];
  settleMs: number;
  windowMs: number;
  ttffRounds: number;
  env: Record<string, string>;
}

const SFU_ENV = { SFU: 'janus', MESH_MAX_VIEWERS: '0', JANUS_INTERFACE: 'onair0' };

/** The Janus process under the server, or null (no SFU, or not started). */
function janusPid(server: ServerProcess): number | null {
  for (const pid of processTree(server.pid)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'janus') return pid;
    } catch {
      // gone
    }
  }
  return null;
}

const isFull = (r: MediaReceiver, capture: AudienceOptions['capture']) => {
  const size = r.videoStats.resolution;
  // Chromium's simulcast crops the width to a multiple of 4 (854 → 852).
  return size !== null && size.height === capture.height && size.width >= capture.width - 4;
};

async function measure(receivers: MediaReceiver[], broadcaster: ChromiumBroadcaster, janus: number | null, opts: AudienceOptions): Promise<AudienceStep> {
  const before: RtpSnapshot[] = receivers.map((r) => r.videoStats.snapshot());
  const cpu = { chromium: broadcaster.cpuMs(), janus: janus === null ? null : processCpuMs(janus), sim: process.cpuUsage() };
  const startedAt = performance.now();
  await sleep(opts.windowMs);
  const elapsed = performance.now() - startedAt;
  const fps = receivers.map((r, i) => rates(before[i]!, r.videoStats.snapshot()).fps ?? 0);
  const janusNow = janus === null ? null : processCpuMs(janus);
  const sim = process.cpuUsage(cpu.sim);
  const janusCpuPercent = janusNow !== null && cpu.janus !== null ? ((janusNow - cpu.janus) / elapsed) * 100 : null;
  return {
    viewers: receivers.length,
    slowestFps: Math.min(...fps),
    fullResolution: receivers.filter((r) => isFull(r, opts.capture)).length,
    broadcasterCpuPercent: ((broadcaster.cpuMs() - cpu.chromium) / elapsed) * 100,
    janusCpuPercent,
    janusCpuPercentPerViewer: janusCpuPercent === null ? null : janusCpuPercent / receivers.length,
    simulatorCpuPercent: ((sim.user + sim.system) / 1000 / elapsed) * 100,
  };
}

async function run(path: AudiencePath, opts: AudienceOptions): Promise<AudienceRun> {
  const sfu = path === 'sfu' || path === 'sfu-simulcast';
  const capture = path === 'sfu-simulcast' && opts.simulcastCapture ? opts.simulcastCapture : opts.capture;
  const server = await startServerProcess('onair', { env: { ...opts.env, ...(sfu ? SFU_ENV : {}) } });
  const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['audience'], capture, adapt: path !== 'mesh', timeoutMs: 30_000 }).catch(async (err: unknown) => {
    await server.close();
    throw err;
  });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const receivers: MediaReceiver[] = [];
  const watchers: Promise<WatcherResult>[] = [];
  const steps: AudienceStep[] = [];
  const held = (s: AudienceStep) => s.slowestFps >= MIN_FPS && s.fullResolution === s.viewers;
  let stoppedBy = 'max';
  const late: { ttffMs: Distribution | null; breakdown: Record<string, number> } = { ttffMs: null, breakdown: {} };
  try {
    // The late joiner first, on an otherwise empty room: a warm-up page, then the measured ones.
    const url = `${server.httpUrl}/watch?room=audience`;
    await watchRound(broadcaster.browser, url, 1);
    const samples: Record<string, number>[] = [];
    for (let i = 0; i < opts.ttffRounds; i++) {
      const [timings] = await watchRound(broadcaster.browser, url, 1);
      if (timings?.firstFrame !== undefined && Number.isFinite(timings.firstFrame)) samples.push(timings);
    }
    late.ttffMs = distribution(samples.map((s) => s.firstFrame!));
    late.breakdown = breakdownP50(samples);
    const janus = sfu ? janusPid(server) : null;
    for (const target of sfu ? opts.sfuSteps : opts.meshSteps) {
      const adding: Promise<MediaReceiver | WatcherResult>[] = [];
      for (let n = receivers.length + 1; n <= target; n++) {
        let onReceiving: (receiver: MediaReceiver) => void = () => {};
        const receiving = new Promise<MediaReceiver>((resolve) => (onReceiving = resolve));
        const watcher = runWatcher(
          { index: n, relayUrl: server.wsUrl, room: 'audience', durationMs: 3_600_000, timeoutMs: 30_000, bindAddress: sfu ? SFU_ADDRESS : '127.0.0.1', rembBitrate: 10_000_000 },
          { receiving: (_, receiver) => onReceiving(receiver) },
          stop.signal,
        );
        watchers.push(watcher);
        adding.push(Promise.race([receiving, watcher]));
      }
      const added = await Promise.all(adding);
      const failed = added.find((a): a is WatcherResult => !('videoStats' in a));
      if (failed) {
        stoppedBy = failed.failure?.code ?? 'failed';
        break;
      }
      receivers.push(...(added as MediaReceiver[]));
      // The first step also waits for the broadcaster's bandwidth estimate to ramp up from Chromium's start.
      await sleep(steps.length === 0 ? 3 * opts.settleMs : opts.settleMs);
      const step = await measureStep(() => measure(receivers, broadcaster, janus, { ...opts, capture }), held);
      steps.push(step);
      if (!held(step)) {
        stoppedBy = step.slowestFps < MIN_FPS ? 'fps' : 'resolution';
        break;
      }
    }
  } finally {
    await endRun({ stop, watchers, broadcaster, server });
  }
  return { path, capture, steps, capacity: capacityOf(steps, held), stoppedBy, ttffMs: late.ttffMs, ttffBreakdownP50Ms: late.breakdown };
}

/** The escalation's longest freeze: two Chromium watchers on the mesh, a third escalates the room (`MESH_MAX_VIEWERS=2`). */
async function escalationGap(opts: AudienceOptions): Promise<number> {
  const server = await startServerProcess('onair', { env: { ...opts.env, ...SFU_ENV, MESH_MAX_VIEWERS: '2' } });
  try {
    const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['escalate'], capture: opts.capture, adapt: true, timeoutMs: 30_000 });
    try {
      const open = async (browser: Browser): Promise<Page> => {
        const page = await browser.newPage();
        await page.goto(`${server.httpUrl}/watch?room=escalate`);
        await page.waitForFunction(firstFrameShown, { polling: 50, timeout: 30_000 });
        return page;
      };
      const meshWatchers = [await open(broadcaster.browser), await open(broadcaster.browser)];
      for (const page of meshWatchers) await page.evaluate(watchGaps);
      await sleep(1000);
      const third = await open(broadcaster.browser);
      for (const page of [...meshWatchers, third]) {
        await page.waitForFunction(viaMediaServer, { polling: 50, timeout: 30_000 });
      }
      await sleep(1000);
      const gaps = await Promise.all(meshWatchers.map((page) => page.evaluate(longestGap)));
      return Math.max(...gaps);
    } finally {
      await broadcaster.close();
    }
  } finally {
    await server.close();
  }
}

/** Run the three paths, then the escalation gap. Calls `cleanupNodeDataChannel()` at the end. */
export async function benchAudience(opts: AudienceOptions): Promise<AudienceResult> {
  try {
    const runs = [await run('mesh', opts), await run('mesh-adapt', opts), await run('sfu', opts)];
    if (opts.simulcastCapture) runs.push(await run('sfu-simulcast', opts));
    let escalationMaxGapMs: number | null = null;
    try {
      escalationMaxGapMs = await escalationGap(opts);
    } catch (err) {
      process.stderr.write(`bench: audience: escalation gap not measured: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return { capture: opts.capture, runs, escalationMaxGapMs };
  } finally {
    cleanupNodeDataChannel();
  }
}
