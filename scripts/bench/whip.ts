/**
 * WHIP ingest: a Chromium watch page's time to first frame (navigation → first frame playing) when the room's
 * broadcaster is a WHIP encoder (GStreamer's webrtcbin, H.264 with a keyframe every second and no B-frames:
 * `scripts/lib/gst-whip-publisher.py`), against the same measure, in the same run and server, for a Chromium
 * broadcaster page whose room is on the SFU from its first watcher (`MESH_MAX_VIEWERS=0`). Both through Janus.
 * Then glass to glass: the encoder's picture is a clock (each frame's wall-clock time in blocks), and a watch page
 * reads it back from the frames it shows: the delay from the frame's making to its display, on one machine's clock.
 */
import type { Browser } from 'puppeteer';
import { firstFrameShown, glassToGlass } from '../in-page/watch-page.ts';
import { startGstWhipPublisher } from '../lib/gst-whip-publisher.ts';
import { startChromiumBroadcaster } from '../simulate/chromium-broadcaster.ts';
import { distribution, type Distribution } from '../simulate/percentiles.ts';
import { startServerProcess } from './server-process.ts';
import { watchRound } from './ttff.ts';

export interface WhipResult {
  rounds: number;
  /** A watcher's first frame with a WHIP encoder publishing, ms. */
  whipTtffMs: Distribution | null;
  /** The same with a Chromium broadcaster page on the SFU, ms. */
  pageTtffMs: Distribution | null;
  /** Rounds with no frame within the timeout: WHIP, page. */
  failed: { whip: number; page: number };
  /** From a frame's making in the encoder to its display in a watch page, ms (`GLASS_FRAMES` frames); null if not measured. */
  glassToGlassMs: Distribution | null;
  /** Clock frames misread on the way (their blocks gave no delay of 0 to 10 s). */
  glassMisread: number;
}

/** Frames read for glass to glass (3 s at 30 fps). */
const GLASS_FRAMES = 90;

/** A clock encoder publishing to `url`'s room, one watch page reading `GLASS_FRAMES` frames: the delays, ms, and misreads. */
async function glassToGlassMs(browser: Browser, httpUrl: string): Promise<{ delays: number[]; misread: number }> {
  const encoder = await startGstWhipPublisher(`${httpUrl}/whip/clock`, 'any', 'constrained-baseline', { clock: true });
  const page = await browser.newPage();
  try {
    await page.goto(`${httpUrl}/watch?room=clock`);
    await page.waitForFunction(firstFrameShown, { polling: 50, timeout: 30_000 });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no readable clock frames within 30 s')), 30_000).unref());
    return await Promise.race([page.evaluate(glassToGlass, GLASS_FRAMES), timeout]);
  } finally {
    await page.close().catch(() => {});
    await encoder.stop();
  }
}

/** `rounds` single-watcher rounds (after one warm-up) against `url`: first-frame times and failures. */
async function ttff(browser: Parameters<typeof watchRound>[0], url: string, rounds: number): Promise<{ samples: number[]; failed: number }> {
  await watchRound(browser, url, 1);
  const samples: number[] = [];
  let failed = 0;
  for (let i = 0; i < rounds; i++) {
    const [timings] = await watchRound(browser, url, 1);
    if (timings?.firstFrame !== undefined && Number.isFinite(timings.firstFrame)) samples.push(timings.firstFrame);
    else failed++;
  }
  return { samples, failed };
}

/**
 * @param opts rounds per broadcaster, the page broadcaster's camera, `env` for the server
 */
export async function benchWhip(opts: { rounds: number; capture: { width: number; height: number; fps: number }; env: Record<string, string> }): Promise<WhipResult> {
  // Protected mode (no BROADCAST_SECRET): the encoder publishes from loopback.
  const env = { ...opts.env, SFU: 'janus', MESH_MAX_VIEWERS: '0', JANUS_INTERFACE: 'onair0' };
  const server = await startServerProcess('onair', { env });
  try {
    const broadcaster = await startChromiumBroadcaster({ httpUrl: server.httpUrl, rooms: ['page'], capture: opts.capture, adapt: true, timeoutMs: 30_000 });
    try {
      const encoder = await startGstWhipPublisher(`${server.httpUrl}/whip/encoder`, 'any');
      try {
        const whip = await ttff(broadcaster.browser, `${server.httpUrl}/watch?room=encoder`, opts.rounds);
        const page = await ttff(broadcaster.browser, `${server.httpUrl}/watch?room=page`, opts.rounds);
        let glass = { delays: [] as number[], misread: 0 };
        try {
          glass = await glassToGlassMs(broadcaster.browser, server.httpUrl);
        } catch (err) {
          process.stderr.write(`bench: whip: glass to glass not measured: ${err instanceof Error ? err.message : String(err)}\n`);
        }
        return {
          rounds: opts.rounds,
          whipTtffMs: distribution(whip.samples),
          pageTtffMs: distribution(page.samples),
          failed: { whip: whip.failed, page: page.failed },
          glassToGlassMs: distribution(glass.delays),
          glassMisread: glass.misread,
        };
      } finally {
        await encoder.stop();
      }
    } finally {
      await broadcaster.close();
    }
  } finally {
    await server.close();
  }
}
