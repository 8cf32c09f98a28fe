/**
 * WHIP ingest: a Chromium watch page's time to first frame (navigation → first frame playing) when the room's
 * broadcaster is a WHIP encoder (GStreamer's webrtcbin, H.264 with a keyframe every second and no B-frames:
 * `scripts/lib/gst-whip-publisher.py`), against the same measure, in the same run and server, for a Chromium
 * broadcaster page whose room is on the SFU from its first watcher (`MESH_MAX_VIEWERS=0`). Both through Janus.
 */
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
        return { rounds: opts.rounds, whipTtffMs: distribution(whip.samples), pageTtffMs: distribution(page.samples), failed: { whip: whip.failed, page: page.failed } };
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
