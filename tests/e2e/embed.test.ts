/**
 * The embeddable player in a cross-origin `<iframe>`, in headless Chromium: another site (a page served from
 * `http://localhost:<port>`) frames `http://127.0.0.1:<port>/embed?room=…`. The browser shows it, and it plays,
 * muted, when that site is in `FRAME_ANCESTORS` — in a private room too, with the watcher token in the frame's URL
 * fragment; the browser refuses to frame it when the site is not listed, or by default.
 */
import { createServer, type Server } from 'node:http';
import type { Frame, Page } from 'puppeteer';
import t from 'tap';
import { signToken } from '../../server/auth/tokens.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { clickButton, openBroadcaster, waitForState } from '../helpers/pages.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const POLL = { polling: 100 } as const;
const WATCH_SECRET = 'w'.repeat(40);
const chromium = await launchChromium();
t.teardown(() => chromium.close());

/** Another site: serves one page that frames `src` (set per test), on 127.0.0.1, reached as `http://localhost:port`. */
let src = '';
const site: Server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><title>A blog</title><h1>A blog</h1><iframe src="${src}" title="OnAir" allow="autoplay; fullscreen" width="640" height="360"></iframe>`);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => {
  site.close(() => resolve());
  site.closeAllConnections(); // the browser's keep-alive connections
}));
const siteOrigin = `http://localhost:${(site.address() as { port: number }).port}`;

/**
 * Open the site framing `frameSrc`; resolves with the page, and a promise of the browser's error for the frame's
 * request if it fails (e.g. `net::ERR_BLOCKED_BY_RESPONSE`, the frame refused by the response's headers).
 */
async function openSite(frameSrc: string): Promise<{ page: Page; frameFailure: Promise<string> }> {
  src = frameSrc;
  const page = await chromium.browser.newPage();
  const frameFailure = new Promise<string>((resolve) => {
    page.on('requestfailed', (r) => {
      if (r.url() === frameSrc) resolve(r.failure()?.errorText ?? 'failed');
    });
  });
  await page.goto(siteOrigin);
  return { page, frameFailure };
}

/** The player's frame inside `page`, once the browser has loaded the OnAir document into it. */
async function playerFrame(page: Page, server: TestServer): Promise<Frame> {
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed`));
    if (frame) return frame;
    await page.waitForFrame((f) => f.url().startsWith(`${server.httpUrl}/embed`));
  }
}

t.test('a site in FRAME_ANCESTORS embeds the player of a private room, and it plays muted', async (t) => {
  const server = await startServer({ FRAME_ANCESTORS: siteOrigin, WATCH_SECRET });
  t.teardown(() => server.close());
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'private');
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(broadcaster, 'live');

  const token = await signToken(WATCH_SECRET, { room: 'private', role: 'watcher' }, 600);
  const { page } = await openSite(`${server.httpUrl}/embed?room=private#token=${token}`);
  const frame = await playerFrame(page, server);
  t.not(new URL(frame.url()).origin, siteOrigin, 'the frame is cross-origin');
  await frame.waitForFunction(() => document.body.dataset.state === 'live' && document.body.dataset.firstFrameMs !== undefined, POLL);
  const video = await frame.$eval('video', (v) => ({ muted: v.muted, width: v.videoWidth, paused: v.paused }));
  t.same({ muted: video.muted, paused: video.paused }, { muted: true, paused: false }, 'muted autoplay');
  t.ok(video.width > 0, `the video has frames (${video.width} px wide)`);
  t.same(await frame.$$eval('button', (bs) => bs.map((b) => b.textContent)), ['Unmute', 'Fullscreen'], 'only the two buttons');
  await page.close();

  const { page: noToken } = await openSite(`${server.httpUrl}/embed?room=private`);
  const refused = await playerFrame(noToken, server);
  await refused.waitForFunction(() => document.body.dataset.state === 'error', POLL);
  t.match(await refused.$eval('#status', (el) => el.textContent), /access token was refused/, 'without its token the frame says why');
  await noToken.close();
  await broadcaster.close();
});

for (const [name, env] of [['by default', {}], ['when the site is not listed', { FRAME_ANCESTORS: 'https://other.example.com' }]] as const) {
  t.test(`the browser refuses to frame the player ${name}`, async (t) => {
    const server = await startServer(env);
    t.teardown(() => server.close());
    const { page, frameFailure } = await openSite(`${server.httpUrl}/embed?room=main`);
    t.equal(await frameFailure, 'net::ERR_BLOCKED_BY_RESPONSE', 'Chromium blocked the frame by its response headers (frame-ancestors)');
    await page.waitForFrame((f) => f.url().startsWith('chrome-error:'));
    t.notOk(page.frames().some((f) => f.url().startsWith(server.httpUrl)), 'no OnAir document in the frame, only the browser’s error page');
    await page.close();
  });
}
