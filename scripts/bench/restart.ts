/**
 * A node's death, as viewers see it: one OnAir node (no Redis), a Chromium broadcaster and Chromium watch pages
 * playing peer to peer. The node is SIGKILLed (no goodbye to anyone), stays down, and starts again on the same port
 * with the same resume key (`RESUME_SECRET`), as a supervisor would restart it. Measured per run:
 * - the longest gap between decoded frames any watch page saw across the kill, the outage and the resume, against the
 *   same measure over a window as long with the node up (the baseline, measured right after in the same run);
 * - the time from the restarted node accepting connections until every watch page says it is live again;
 * - how many watch pages play through a new peer connection afterwards (the goal is none: the media never went
 *   through the node).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'puppeteer';
import { firstFrameShown, keepConnection, longestGap, pageState, pageStateIs, resetGap, sameConnection, watchGaps } from '../in-page/watch-page.ts';
import { freePort } from '../lib/free-port.ts';
import { startChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

export interface RestartResult {
  /** Watch pages playing when the node was killed. */
  watchers: number;
  /** How long the node stayed down, ms. */
  downMs: number;
  /** The longest gap between decoded frames, any watch page, ms: with the node up (baseline), across the restart. */
  calmMaxGapMs: number;
  restartMaxGapMs: number;
  /** From the restarted node accepting connections until every watch page is live again, ms. */
  resumeMs: number;
  /** Watch pages playing through another peer connection than before the kill (goal 0). */
  newPeerConnections: number;
}

const POLL = { polling: 50, timeout: 30_000 } as const;

/**
 * @param opts `watchers` watch pages, the node kept down `downMs`, the broadcaster's camera, `env` for the node
 * @throws Error when a page does not play, or does not say it is reconnecting or live again, within 30 s
 */
export async function benchRestart(opts: { watchers: number; downMs: number; capture: { width: number; height: number; fps: number }; env: Record<string, string> }): Promise<RestartResult> {
  const port = await freePort();
  // The same port and resume key for both processes, as a restart on the same host: no other state survives.
  const env = { ...opts.env, RESUME_SECRET: randomBytes(32).toString('hex') };
  let server: ServerProcess = await startServerProcess('onair', { env, port });
  try {
    const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['restart'], capture: opts.capture, adapt: true, timeoutMs: 30_000 });
    try {
      const pages: Page[] = [];
      for (let i = 0; i < opts.watchers; i++) {
        const page = await broadcaster.browser.newPage();
        await page.goto(`${server.httpUrl}/watch?room=restart`);
        await page.waitForFunction(firstFrameShown, POLL);
        pages.push(page);
      }
      for (const page of pages) {
        await page.evaluate(keepConnection);
        await page.evaluate(watchGaps);
      }
      await sleep(1000);

      const windowStart = performance.now();
      for (const page of pages) await page.evaluate(resetGap);
      await server.kill();
      for (const page of pages) await page.waitForFunction(pageStateIs, POLL, 'reconnecting');
      await sleep(opts.downMs);
      const downMs = performance.now() - windowStart;
      server = await startServerProcess('onair', { env, port });
      const upAt = performance.now();
      for (const page of pages) await page.waitForFunction(pageStateIs, POLL, 'live');
      const resumeMs = performance.now() - upAt;
      await sleep(1000);
      const restartMaxGapMs = Math.max(...(await Promise.all(pages.map((page) => page.evaluate(longestGap)))));
      const windowMs = performance.now() - windowStart;
      const same = await Promise.all(pages.map((page) => page.evaluate(sameConnection)));
      const states = await Promise.all(pages.map((page) => page.evaluate(pageState)));
      if (states.some((s) => s !== 'live')) throw new Error(`a watch page left live after the restart: ${states.join(', ')}`);

      for (const page of pages) await page.evaluate(resetGap);
      await sleep(windowMs);
      const calmMaxGapMs = Math.max(...(await Promise.all(pages.map((page) => page.evaluate(longestGap)))));
      return { watchers: opts.watchers, downMs, calmMaxGapMs, restartMaxGapMs, resumeMs, newPeerConnections: same.filter((s) => !s).length };
    } finally {
      await broadcaster.close();
    }
  } finally {
    await server.close();
  }
}
