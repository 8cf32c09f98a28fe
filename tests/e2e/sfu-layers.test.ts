/**
 * Each SFU watcher gets the simulcast layer that fits it, end to end with the real Janus (managed, on the test
 * namespace's veth) and OnAir's pages in headless Chromium, every room on the SFU from its first watcher
 * (`MESH_MAX_VIEWERS=0`), the broadcaster capturing 1280×720 (3 layers: 320×180, 640×360, 1280×720):
 * - a watcher whose player is 320×180 CSS px (device pixel ratio 1) gets the 180p layer: its `<video>` decodes
 *   320×180, its overlay says "180p: small player", the broadcaster page lists it at 180p, `/metrics` counts it;
 * - a watcher with a full-size player gets 720p; while its reports say it loses 20 % of its packets (the page's own
 *   reports, with `lossPercent` raised on their way out), it steps down and its overlay says why; once they are clean
 *   again it steps back up to 720p.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { clickButton, openBroadcaster, openWatcher, videoSize, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { startE2e } from '../helpers/e2e.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { server, chromium } = await startE2e(t, { SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MESH_MAX_VIEWERS: '0' });
  const ROOM = 'layers';
  const POLL = { polling: 200, timeout: 60_000 } as const;

  /** Wait until the watcher's `<video>` shows frames `width` pixels wide. */
  const waitForWidth = async (page: Page, width: number) => {
    try {
      await page.waitForFunction((w) => document.querySelector('video')?.videoWidth === w, POLL, width);
    } catch (err) {
      const seen = await page.evaluate(() => ({
        videoWidth: document.querySelector('video')?.videoWidth,
        box: document.querySelector('video')?.getBoundingClientRect().toJSON() as unknown,
        visibility: document.visibilityState,
        layer: (window.onair as { layer(): unknown }).layer(),
      }));
      throw new Error(`no ${width}-px frames: ${JSON.stringify(seen)}`, { cause: err });
    }
  };
  /** Wait until the watcher's overlay Layer row matches `pattern` (the overlay is shown first). */
  const waitForLayerText = async (page: Page, pattern: RegExp) => {
    await page.waitForFunction(
      (source) => new RegExp(source).test(document.querySelector('[data-stat="layer"]')?.textContent ?? ''),
      POLL,
      pattern.source,
    );
    return page.$eval('[data-stat="layer"]', (el) => el.textContent);
  };
  const showOverlay = async (page: Page) => {
    await clickButton(page, 'Stats');
    await page.waitForSelector('[data-stat="layer"]');
  };

  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, ROOM);
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(broadcaster, 'live');

  t.test('a small player gets the low layer, and says why', async (t) => {
    const small = await openWatcher(chromium.browser, server.httpUrl, ROOM);
    await small.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
    await waitForState(small, 'live');
    await waitForFramesAbove(small, 0);
    await small.$eval('video', (v) => {
      v.style.width = '320px';
      v.style.height = '180px';
      v.style.maxWidth = '320px';
    });
    await waitForWidth(small, 320);
    t.same(await videoSize(small), { width: 320, height: 180 }, 'the <video> decodes 320×180');
    await showOverlay(small);
    t.equal(await waitForLayerText(small, /^180p/), '180p: small player', 'the overlay says which and why');
    t.match(await small.evaluate(() => (window.onair as { layer(): unknown }).layer()), { substream: 0, height: 180, reason: 'small player' });
    await broadcaster.waitForSelector('#sfu-layers li[data-layer="180p"][data-reason="small player"]', { timeout: 30_000 });
    t.pass('the broadcaster page lists the watcher at 180p');
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    t.match(metrics, /onair_sfu_watchers_by_layer\{layer="180p"\} 1/, '/metrics counts it');
    t.match(metrics, /onair_sfu_layer_switches_total\{direction="down"\} [1-9]/, '/metrics counts the switch down');
    await small.close();
  });

  t.test('a watcher reporting loss steps down, says why, and steps back up once its reports are clean', async (t) => {
    const page = await chromium.browser.newPage();
    page.on('pageerror', (err) => console.error('watcher page error:', err));
    await page.setViewport({ width: 1600, height: 1000, deviceScaleFactor: 1 });
    // Raise `lossPercent` in the page's own layerReports while `window.lossy` is set (the figures the server sees).
    await page.evaluateOnNewDocument(() => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the socket as `this`
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        const lossy = (window as unknown as { lossy?: boolean }).lossy === true;
        if (lossy && typeof data === 'string' && data.includes('"layerReport"')) data = JSON.stringify({ ...JSON.parse(data), lossPercent: 20 });
        send.call(this, data);
      };
    });
    await page.goto(`${server.httpUrl}/watch?room=${ROOM}`);
    await waitForState(page, 'live');
    await page.$eval('video', (v) => {
      v.style.width = '1280px';
      v.style.height = '720px';
      v.style.maxWidth = 'none';
    });
    await waitForWidth(page, 1280);
    await showOverlay(page);
    t.equal(await waitForLayerText(page, /^720p$/), '720p', 'clean: 720p');

    await page.evaluate(() => void ((window as unknown as { lossy: boolean }).lossy = true));
    t.match(await waitForLayerText(page, /packet loss/), /^(360|180)p.*: limited by packet loss$/, 'lossy: a lower layer, and why');
    await page.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) < 1280, POLL);
    t.ok((await videoSize(page)).width < 1280, `the <video> shows ${(await videoSize(page)).width} px wide`);
    await broadcaster.waitForSelector('#sfu-layers li[data-reason="loss"]', { timeout: 30_000 });
    t.pass('the broadcaster page lists it as limited by loss');

    await page.evaluate(() => void ((window as unknown as { lossy: boolean }).lossy = false));
    t.equal(await waitForLayerText(page, /^720p$/), '720p', 'clean again: back to 720p after calm');
    await waitForWidth(page, 1280);
    t.pass('the <video> shows 1280 px wide again');
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    t.match(metrics, /onair_sfu_layer_switches_total\{direction="up"\} [1-9]/, '/metrics counts the switches up');
    await page.close();
  });
}
