/**
 * The layers part of `npm run bench`: what layer selection does for a watcher whose link cannot carry the top
 * simulcast layer. One server with the real Janus (`MESH_MAX_VIEWERS=0`), a Chromium broadcaster at 1280×720 (3
 * layers), two watch pages with a 1280×720 player: a reference watcher, and a constrained one whose downlink is
 * limited to `rateKbps` by a `tc` HTB class on the namespace's loopback, matched on its UDP port (Janus
 * and the watcher both sit on the namespace's veth address, so their packets cross `lo`). Two windows in one run, each
 * with a fresh constrained page: **pinned**, its `layerReport`s dropped in the page (so it stays on the top layer, as
 * every watcher did before layer selection), then **selected**, its reports sent. Per window: the constrained and the
 * reference watcher's freezes per minute and frozen seconds per minute (gaps between presented frames, as
 * webrtc-stats defines a freeze, counting a picture that stops for good), frames dropped and decoded per minute
 * (`inbound-rtp`), and the height they received at the end. Each page has a window of its own (a background tab is
 * hidden, and gets the lowest layer).
 */
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetType, type Browser, type Page } from 'puppeteer';
import { startChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import { dropLayerReports, isLive, playbackCounters, sizePlayer, watchFreezes, type PlaybackCounters } from '../in-page/watch-page.ts';
import { startServerProcess } from './server-process.ts';

export interface LayersOptions {
  /** The constrained watcher's downlink, kbit/s. */
  rateKbps: number;
  /** Time for the layer to settle before a window, and the window, ms. */
  settleMs: number;
  windowMs: number;
  env: Record<string, string>;
}

/** One watcher over one window. */
export interface WatcherWindow {
  freezesPerMin: number;
  freezeSecondsPerMin: number;
  framesDroppedPerMin: number;
  framesDecodedPerMin: number;
  /** The height of the frames it decoded at the end of the window, px. */
  frameHeight: number | null;
}

export interface LayersWindow {
  mode: 'pinned' | 'selected';
  constrained: WatcherWindow;
  reference: WatcherWindow;
}

export interface LayersResult {
  rateKbps: number;
  windowMs: number;
  windows: LayersWindow[];
}

const SFU_ENV = { SFU: 'janus', MESH_MAX_VIEWERS: '0', JANUS_INTERFACE: 'onair0' };

type Counters = PlaybackCounters;

/** The watch page's counters now. */
const counters = (page: Page): Promise<Counters> => page.evaluate(playbackCounters);

function perMinute(a: Counters, b: Counters): WatcherWindow {
  const minutes = Math.max(b.at - a.at, 1) / 60_000;
  return {
    // Freezes that ended in the window (one going on at `a` included), and one going on at `b`: a picture that stops
    // for the whole window is one freeze.
    freezesPerMin: (b.freezeCount - a.freezeCount + (b.freezing ? 1 : 0)) / minutes,
    freezeSecondsPerMin: Math.max(0, b.frozenMs - a.frozenMs) / 1000 / minutes,
    framesDroppedPerMin: (b.framesDropped - a.framesDropped) / minutes,
    framesDecodedPerMin: (b.framesDecoded - a.framesDecoded) / minutes,
    frameHeight: b.frameHeight,
  };
}

function tc(args: string[]): void {
  const run = spawnSync('tc', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tc ${args.join(' ')}: ${run.stderr.trim() || `exit ${run.status}`}`);
}

/**
 * Limit UDP to `port` on `lo` to `rateKbps`: an HTB class at that rate with a 30-packet FIFO (about 0.4 s at 700
 * kbit/s; past it packets drop, as at a congested link), everything else through an unlimited class. (HTB rather
 * than `prio`: this kernel has no `prio`, `netem` or `fq_codel` qdisc.)
 */
function limitPort(port: number, rateKbps: number): () => void {
  tc(['qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000']);
  try {
    tc(['class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit']);
    tc(['class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:30', 'htb', 'rate', `${rateKbps}kbit`, 'ceil', `${rateKbps}kbit`]);
    tc(['qdisc', 'add', 'dev', 'lo', 'parent', '1:30', 'handle', '30:', 'pfifo', 'limit', '30']);
    tc(['filter', 'add', 'dev', 'lo', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', 'dport', String(port), '0xffff', 'flowid', '1:30']);
  } catch (err) {
    spawnSync('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
    throw err;
  }
  return () => void spawnSync('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
}

/**
 * A page in a window of its own: a second tab of the same window is hidden (`document.visibilityState`), and a
 * hidden watch page rightly reports a hidden player (the lowest layer).
 */
async function newWindow(browser: Browser): Promise<Page> {
  const before = new Set(browser.targets());
  const session = await browser.target().createCDPSession();
  await session.send('Target.createTarget', { url: 'about:blank', newWindow: true });
  await session.detach();
  const target = await browser.waitForTarget((t) => t.type() === TargetType.PAGE && !before.has(t));
  const page = await target.page();
  if (!page) throw new Error('no page in the new window');
  return page;
}

/** Open a watch page with a 1280×720 player; `pinned`: its `layerReport`s are dropped before they leave. */
async function openWatcher(browser: Browser, httpUrl: string, pinned: boolean): Promise<Page> {
  const page = await newWindow(browser);
  await page.setViewport({ width: 1400, height: 900, deviceScaleFactor: 1 });
  if (pinned) await page.evaluateOnNewDocument(dropLayerReports);
  await page.goto(`${httpUrl}/watch?room=layers`);
  await page.waitForFunction(isLive, { polling: 100, timeout: 30_000 });
  await page.evaluate(sizePlayer, 1280, 720);
  await page.evaluate(watchFreezes);
  return page;
}

/** Both windows, pinned then selected, in one run. */
export async function benchLayers(opts: LayersOptions): Promise<LayersResult> {
  const server = await startServerProcess('onair', { env: { ...opts.env, ...SFU_ENV } });
  try {
    const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['layers'], capture: { width: 1280, height: 720, fps: 30 }, adapt: true, timeoutMs: 30_000 });
    try {
      const reference = await openWatcher(broadcaster.browser, server.httpUrl, false);
      const windows: LayersWindow[] = [];
      for (const mode of ['pinned', 'selected'] as const) {
        const page = await openWatcher(broadcaster.browser, server.httpUrl, mode === 'pinned');
        const { localPort } = await counters(page);
        if (localPort === null) throw new Error('the constrained watcher has no selected candidate pair');
        const lift = limitPort(localPort, opts.rateKbps);
        try {
          await sleep(opts.settleMs);
          const [c0, r0] = [await counters(page), await counters(reference)];
          await sleep(opts.windowMs);
          const [c1, r1] = [await counters(page), await counters(reference)];
          windows.push({ mode, constrained: perMinute(c0, c1), reference: perMinute(r0, r1) });
        } finally {
          lift();
          await page.close();
        }
      }
      return { rateKbps: opts.rateKbps, windowMs: opts.windowMs, windows };
    } finally {
      await broadcaster.close();
    }
  } finally {
    await server.close();
  }
}
