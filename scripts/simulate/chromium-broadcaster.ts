/**
 * `--broadcaster chromium`: the real broadcaster page in headless Chromium, with a fake camera playing a generated
 * `testsrc2` clip (see scripts/lib/clip.ts), live in one or more rooms of the server under test. It reads the
 * senders' WebRTC stats (W3C webrtc-stats `outbound-rtp`) and the CPU time of Chromium's whole process tree.
 */
import type { Browser, Page } from 'puppeteer';
import { liveOrError, senderStats, startEnabled, statusText, type SenderStats } from '../in-page/broadcaster-page.ts';
import { launchChromium, type LaunchedChromium } from '../lib/chromium.ts';
import { testClip } from '../lib/clip.ts';
import { processTreeCpuMs } from '../lib/proc.ts';
import { WatcherError } from './errors.ts';

export type { SenderStats };

export interface ChromiumBroadcasterOptions {
  /** The server's page URL, `http(s)://host[:port]`. */
  httpUrl: string;
  rooms: readonly string[];
  capture: { width: number; height: number; fps: number };
  /** false adds `?adapt=off` to the page URL (no sender adaptation). */
  adapt: boolean;
  /** How long launching and going live may take, in ms. */
  timeoutMs: number;
}

export interface ChromiumBroadcaster {
  /** The browser, to open more pages in (e.g. the benchmark's watch pages). */
  readonly browser: Browser;
  /** Chromium's browser process id (its renderers, GPU and utility processes are its descendants). */
  readonly pid: number;
  /** CPU time of Chromium's process tree so far, in ms. */
  cpuMs(): number;
  /** The video senders of every room's page, one per watcher peer connection. */
  senders(): Promise<SenderStats[]>;
  close(): Promise<void>;
}

const POLL = { polling: 100 } as const;

/** Go live in one room; throws `broadcaster_failed` with the page's status text when it shows an error. */
async function goLive(page: Page, url: string, timeoutMs: number): Promise<void> {
  await page.goto(url, { timeout: timeoutMs });
  await page.waitForFunction(startEnabled, { ...POLL, timeout: timeoutMs });
  await page.bringToFront();
  await page.click('#start');
  const state = await page.waitForFunction(liveOrError, { ...POLL, timeout: timeoutMs });
  if ((await state.jsonValue()) !== 'live') {
    const text = await page.evaluate(statusText);
    throw new WatcherError('broadcaster_failed', `the broadcaster page did not go live: ${text}`);
  }
}

/**
 * Launch Chromium and go live in every room.
 *
 * @throws {WatcherError} `broadcaster_failed` when Chromium or ffmpeg is missing, the page cannot be loaded, or it
 *   shows an error instead of going live (e.g. the room already has a broadcaster)
 */
export async function startChromiumBroadcaster(options: ChromiumBroadcasterOptions): Promise<ChromiumBroadcaster> {
  let chromium: LaunchedChromium | null = null;
  try {
    const { width, height, fps } = options.capture;
    const clip = await testClip(width, height, fps);
    chromium = await launchChromium([`--use-file-for-fake-video-capture=${clip}`]);
    const pages: Page[] = [];
    for (const room of options.rooms) {
      const page = await chromium.browser.newPage();
      pages.push(page);
      const url = new URL('/', options.httpUrl);
      url.searchParams.set('room', room);
      if (!options.adapt) url.searchParams.set('adapt', 'off');
      await goLive(page, url.href, options.timeoutMs);
    }
    const launched = chromium;
    const pid = launched.browser.process()?.pid ?? 0;
    return {
      browser: launched.browser,
      pid,
      cpuMs: () => processTreeCpuMs(pid),
      senders: async () => (await Promise.all(pages.map((page) => page.evaluate(senderStats)))).flat(),
      close: () => launched.close(),
    };
  } catch (err) {
    await chromium?.close();
    if (err instanceof WatcherError) throw err;
    throw new WatcherError('broadcaster_failed', `the Chromium broadcaster did not start: ${(err as Error).message}`, { cause: err });
  }
}
