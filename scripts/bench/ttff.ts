/**
 * Time to first frame: from navigating a watch page to its `<video>` playing, with 1, 4 and 8 watch pages opened at
 * once against a live Chromium broadcaster, p50/p95 — against the floor, two peer connections inside one page of
 * the same browser (no server, no page load) from creating them to the first frame playing. The watch page's
 * `window.onair.timings()` (ms since navigation start) gives the breakdown when the page provides it.
 */
import type { Browser } from 'puppeteer';
import { firstFrameShown, joinTimings, twoPeerConnectionFloor } from '../in-page/watch-page.ts';
import { startChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import { distribution, type Distribution } from '../simulate/percentiles.ts';
import { startServerProcess } from './server-process.ts';

export interface TtffStep {
  watchers: number;
  /** From navigation start to the first frame playing, in ms, over every page of every round. */
  ttffMs: Distribution | null;
  /** p50 of each milestone the page reports (ms since navigation start), e.g. wsOpen, joined, offer, firstFrame. */
  breakdownP50Ms: Record<string, number>;
  /** Pages that showed no frame within the timeout. */
  failed: number;
}

export interface TtffResult {
  capture: { width: number; height: number; fps: number };
  rounds: number;
  steps: TtffStep[];
  /** The in-page two-peer-connection floor, in ms. */
  floorMs: Distribution | null;
}

const POLL = { polling: 50, timeout: 20_000 } as const;

/** Open `count` watch pages at once; resolves with each page's milestones (null for a page that showed no frame). */
export async function watchRound(browser: Browser, url: string, count: number): Promise<(Record<string, number> | null)[]> {
  const pages = await Promise.all(Array.from({ length: count }, () => browser.newPage()));
  try {
    return await Promise.all(pages.map(async (page) => {
      try {
        await page.goto(url);
        await page.waitForFunction(firstFrameShown, POLL);
        return await page.evaluate(joinTimings);
      } catch {
        return null;
      }
    }));
  } finally {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
  }
}

/** The p50 of each milestone over the samples of {@link watchRound} (a milestone no sample has is left out), ms. */
export function breakdownP50(samples: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s)))];
  const p50 = (k: string) => distribution(samples.map((s) => s[k]).filter((v): v is number => v !== undefined && Number.isFinite(v)))?.p50;
  return Object.fromEntries(keys.flatMap((k) => {
    const v = p50(k);
    return v === undefined ? [] : [[k, v]];
  }));
}

/** The floor: `rounds` times, two RTCPeerConnections in one page, camera already open, to the first frame playing. */
async function floor(browser: Browser, url: string, rounds: number): Promise<number[]> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    return await page.evaluate(twoPeerConnectionFloor, rounds);
  } finally {
    await page.close();
  }
}

/**
 * @param opts watcher counts, rounds per count, the camera, `env` for the server
 */
export async function benchTtff(opts: { counts: number[]; rounds: number; capture: { width: number; height: number; fps: number }; env: Record<string, string> }): Promise<TtffResult> {
  const server = await startServerProcess('onair', { env: opts.env });
  try {
    const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['ttff'], capture: opts.capture, adapt: true, timeoutMs: 30_000 });
    try {
      const url = `${server.httpUrl}/watch?room=ttff`;
      await watchRound(broadcaster.browser, url, 1); // warm-up: the first page load compiles and caches the bundle
      const steps: TtffStep[] = [];
      for (const count of opts.counts) {
        const samples: Record<string, number>[] = [];
        let failed = 0;
        for (let round = 0; round < opts.rounds; round++) {
          for (const timings of await watchRound(broadcaster.browser, url, count)) {
            if (timings && Number.isFinite(timings.firstFrame)) samples.push(timings);
            else failed++;
          }
        }
        steps.push({ watchers: count, ttffMs: distribution(samples.map((s) => s.firstFrame!)), breakdownP50Ms: breakdownP50(samples), failed });
      }
      const floorMs = distribution(await floor(broadcaster.browser, `${server.httpUrl}/watch?room=ttff-floor`, Math.max(5, opts.rounds * 4)));
      return { capture: opts.capture, rounds: opts.rounds, steps, floorMs };
    } finally {
      await broadcaster.close();
    }
  } finally {
    await server.close();
  }
}
