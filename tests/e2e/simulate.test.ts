/**
 * End to end: the real broadcaster page in headless Chromium goes live, and `simulate()` joins ten node-datachannel
 * watchers to it through the real relay, in two groups at once: five ask for 3,000 kbit/s in their REMB reports, five
 * for 250 kbit/s. Chrome sets each peer connection's bitrate from the receiver's REMB reports when transport-cc is off
 * (as the simulator negotiates it), so every watcher asking for little must receive less than every watcher asking
 * for much: that proves the REMB reports reach the broadcaster and steer its bitrate. The comparison is within one
 * run on one machine, so it holds on a slow machine too; absolute bitrates belong to the bench, which reports them.
 *
 * The camera is a generated Y4M clip: Chrome's default fake camera is so easy to encode that it stays near
 * 350-550 kbit/s whatever the bandwidth estimate, while this texture with grain uses what the estimate allows.
 */
import { openSync, writeSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { cleanupNodeDataChannel } from '../../scripts/simulate/native.ts';
import { relayUrlFor } from '../../scripts/simulate/relay-url.ts';
import { simulate } from '../../scripts/simulate/run.ts';
import { startServer } from '../helpers/server.ts';

/** Watchers per group. */
const PER_GROUP = 5;
/**
 * What each group asks for in its REMB reports, in kbit/s. Measured on one machine over the window's second half:
 * 1,690-1,780 kbit/s received per watcher asking 3,000, at most the asked 250 for the others. The clip runs at
 * 15 fps: at 30 fps, ten VP8 encodes saturate a 2-core machine and Chrome's CPU adaptation, not the bandwidth
 * estimate, sets the bitrate, which is not what this test is about.
 */
const HIGH_KBPS = 3000;
const LOW_KBPS = 250;

/**
 * Write a Y4M clip (4:2:0, 15 fps) of a smooth random texture panning sideways with fresh grain on every frame: the
 * encoder spends as many bits as the bandwidth estimate allows, like a real camera.
 *
 * @param path   where to write
 * @param width  in pixels (even)
 * @param height in pixels (even)
 * @param frames how many (the capture loops)
 */
function writeTestClip(path: string, width = 640, height = 360, frames = 15): void {
  const cell = 16;
  const gridWidth = Math.ceil((2 * width) / cell) + 2;
  const grid = Uint8Array.from({ length: gridWidth * (Math.ceil(height / cell) + 2) }, () => Math.random() * 256);
  const texture = new Uint8Array(2 * width * height); // twice as wide as the frame, to pan across
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < 2 * width; x++) {
      const gx = x / cell, gy = y / cell, x0 = Math.floor(gx), y0 = Math.floor(gy), fx = gx - x0, fy = gy - y0;
      const g = (i: number, j: number) => grid[j * gridWidth + i]!;
      const top = g(x0, y0) * (1 - fx) + g(x0 + 1, y0) * fx;
      const bottom = g(x0, y0 + 1) * (1 - fx) + g(x0 + 1, y0 + 1) * fx;
      texture[y * 2 * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  const frame = Buffer.alloc((width * height * 3) / 2, 128); // chroma stays grey
  const fd = openSync(path, 'w');
  writeSync(fd, `YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  for (let f = 0; f < frames; f++) {
    const shift = Math.round((f * 2 * width) / frames);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const grain = (Math.random() - 0.5) * 24;
        frame[y * width + x] = Math.max(0, Math.min(255, texture[y * 2 * width + ((x + shift) % (2 * width))]! + grain));
      }
    }
    writeSync(fd, 'FRAME\n');
    writeSync(fd, frame);
  }
  closeSync(fd);
}

t.teardown(cleanupNodeDataChannel);

t.test(`${2 * PER_GROUP} simulated watchers connect to a live Chromium broadcaster, which sends each the bitrate its REMB reports ask for`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-simulate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clip = join(dir, 'camera.y4m');
  writeTestClip(clip);

  const server = await startServer();
  t.teardown(() => server.close());
  const chromium = await launchChromium([`--use-file-for-fake-video-capture=${clip}`]);
  t.teardown(() => chromium.close());

  const page = await chromium.browser.newPage();
  // adapt=off: at 10 watchers the broadcaster's adaptation caps each at 700 kbit/s by design; this test is about
  // what the simulated watchers receive and measure, so the browser alone sets the bitrate.
  await page.goto(`${server.httpUrl}/?room=sim&adapt=off`);
  // The button is enabled once the camera is open; the locator waits for that before clicking.
  await page.locator('::-p-aria([name="Start broadcast"][role="button"])').click();
  await page.waitForFunction(() => document.body.dataset.state === 'live');

  const group = (rembKbps: number) =>
    simulate({
      relayUrl: relayUrlFor(server.httpUrl),
      room: 'sim',
      watchers: PER_GROUP,
      durationMs: 10_000,
      timeoutMs: 30_000,
      bindAddress: '127.0.0.1',
      rembBitrate: rembKbps * 1000,
    });
  const [high, low] = await Promise.all([group(HIGH_KBPS), group(LOW_KBPS)]);
  const steady = (s: typeof high) => s.results.map((r) => Math.round(r.video.steadyKbps ?? 0));
  t.comment(`second half, kbit/s per watcher asking ${HIGH_KBPS}: ${steady(high).join(', ')}; asking ${LOW_KBPS}: ${steady(low).join(', ')}`);
  t.comment(`simulator: ${high.process.cpuPercent.toFixed(0)} % CPU, RSS peak ${high.process.rssPeakMiB.toFixed(0)} MiB`);

  for (const [name, summary] of [['high', high], ['low', low]] as const) {
    t.same(summary.failures, {}, `no ${name}-REMB watcher failed`);
    t.equal(summary.connected, PER_GROUP, `every ${name}-REMB watcher connected`);
    for (const result of summary.results) {
      t.ok(result.timings.firstRtpMs !== null, `${name}-REMB watcher ${result.index} received video RTP`);
    }
  }
  // Over the window's second half: the sender's estimate starts at the answer's start bitrate and follows REMB after.
  const slowestHigh = Math.min(...steady(high));
  const fastestLow = Math.max(...steady(low));
  t.ok(
    slowestHigh > fastestLow,
    `every watcher asking ${HIGH_KBPS} kbit/s (slowest ${slowestHigh}) receives more than every watcher asking ${LOW_KBPS} (fastest ${fastestLow})`,
  );
});
