/**
 * End to end in headless Chromium with a fake camera: one broadcaster page, three watcher pages that open before
 * the broadcast starts; every watcher decodes video; Stop ends it on every watcher; Start plays again on the same
 * pages without a reload.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, videoSize, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const WATCHERS = 3;
const { server, chromium } = await startE2e(t);

const watchers: Page[] = [];
for (let i = 0; i < WATCHERS; i++) watchers.push(await openWatcher(chromium.browser, server.httpUrl, 'e2e'));
const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'e2e');

t.test('watchers that arrive first wait for the broadcast', async (t) => {
  for (const page of watchers) {
    await waitForState(page, 'waiting');
    t.match(await page.$eval('#status', (el) => el.textContent), /^Nothing is live in room “e2e” yet\./);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  }
});

t.test('every watcher decodes the broadcast', async (t) => {
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(broadcaster, 'live');
  for (const [i, page] of watchers.entries()) {
    await waitForState(page, 'live');
    t.equal(await page.$eval('#status', (el) => el.textContent), 'Live', `watcher ${i} says Live`);
    const first = await waitForFramesAbove(page, 0);
    const later = await waitForFramesAbove(page, first);
    t.ok(later > first, `watcher ${i}: framesDecoded grows (${first} → ${later})`);
    const size = await videoSize(page);
    t.ok(size.width > 0 && size.height > 0, `watcher ${i}: video is ${size.width}×${size.height}`);
  }
  await broadcaster.waitForFunction((n) => document.getElementById('viewers')?.textContent === String(n), { polling: 100 }, WATCHERS);
  t.pass(`the broadcaster shows ${WATCHERS} viewers`);
  mkdirSync('tests/artifacts', { recursive: true });
  await broadcaster.screenshot({ path: 'tests/artifacts/broadcast.png' });
  await watchers[0]!.screenshot({ path: 'tests/artifacts/watch.png' });
});

t.test('a watcher opening a live broadcast plays it', async (t) => {
  const late = await openWatcher(chromium.browser, server.httpUrl, 'e2e');
  await waitForState(late, 'live');
  await waitForFramesAbove(late, 0);
  const ttff = Number(await late.evaluate(() => document.body.dataset.firstFrameMs));
  t.ok(ttff > 0, 'the page records its time to first frame');
  t.comment(`time to first frame (navigation → playing): ${ttff} ms`);
  await late.close();
  await broadcaster.waitForFunction((n) => document.getElementById('viewers')?.textContent === String(n), { polling: 100 }, WATCHERS);
});

t.test('the watcher video autoplays muted inline, and Unmute unmutes it', async (t) => {
  const page = watchers[0]!;
  const attrs = await page.$eval('video', (v) => ({ autoplay: v.autoplay, playsInline: v.playsInline, muted: v.muted }));
  t.same(attrs, { autoplay: true, playsInline: true, muted: true });
  await clickButton(page, 'Unmute');
  t.equal(await page.$eval('video', (v) => v.muted), false, 'unmuted');
  await clickButton(page, 'Mute');
  t.equal(await page.$eval('video', (v) => v.muted), true, 'muted again');
});

t.test('Stop broadcast ends it on every watcher', async (t) => {
  await clickButton(broadcaster, 'Stop broadcast');
  await waitForState(broadcaster, 'idle');
  for (const page of watchers) {
    await waitForState(page, 'ended');
    t.match(await page.$eval('#status', (el) => el.textContent), /^The broadcast has ended\./);
  }
});

t.test('Start again plays on the same watcher pages without a reload', async (t) => {
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(broadcaster, 'live');
  for (const [i, page] of watchers.entries()) {
    await waitForState(page, 'live');
    const first = await waitForFramesAbove(page, 0);
    t.ok((await waitForFramesAbove(page, first)) > first, `watcher ${i} decodes again`);
    t.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, `watcher ${i} was not reloaded`);
  }
});
