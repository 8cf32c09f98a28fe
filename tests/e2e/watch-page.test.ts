/**
 * The watcher page's words and buttons in headless Chromium: a connectivity diagnosis when no connection forms
 * (TURN unreachable; relay-only without TURN), a clear message for a wrong room name, the waiting hint, and the
 * Fullscreen and Picture-in-picture buttons.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { freePort } from '../helpers/ports.ts';
import { startServer } from '../helpers/server.ts';

const POLL = { polling: 200 } as const;
const chromium = await launchChromium();
t.teardown(() => chromium.close());

/** Wait for the diagnosis note with `code`; resolves with its text. */
async function diagnosis(page: Page, code: string): Promise<string> {
  await page.waitForFunction((c) => document.getElementById('diagnosis')?.dataset.code === c && !document.getElementById('diagnosis')!.hidden, POLL, code);
  return page.$eval('#diagnosis', (el) => el.textContent ?? '');
}

t.test('TURN configured but unreachable: the watcher says so instead of a silent black screen', async (t) => {
  const server = await startServer({
    TURN_URLS: `turn:127.0.0.1:${await freePort()}?transport=udp`,
    TURN_SECRET: '0123456789abcdef0123',
    ICE_TRANSPORT_POLICY: 'relay',
  });
  t.teardown(() => server.close());
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'no-turn');
  await clickButton(broadcaster, 'Start broadcast');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'no-turn');
  await waitForState(watcher, 'connecting');
  const text = await diagnosis(watcher, 'turn_unreachable');
  t.match(text, /Cannot reach the TURN server/);
  t.match(text, /TURN_URLS/);
  t.equal(await watcher.$eval('body', (b) => b.dataset.state), 'connecting', 'still trying');
  await broadcaster.close();
  await watcher.close();
});

t.test('relay-only with no TURN server: the watcher names the missing setting', async (t) => {
  const server = await startServer({ ICE_TRANSPORT_POLICY: 'relay' });
  t.teardown(() => server.close());
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'relay-only');
  await clickButton(broadcaster, 'Start broadcast');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'relay-only');
  t.match(await diagnosis(watcher, 'relay_without_turn'), /no TURN server configured — ask the operator to set TURN_URLS/);
  await broadcaster.close();
  await watcher.close();
});

t.test('a wrong room name, and the waiting hint', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const wrong = await openWatcher(chromium.browser, server.httpUrl, 'no spaces allowed');
  await waitForState(wrong, 'error');
  t.equal(await wrong.$eval('body', (b) => b.dataset.error), 'invalid_join');
  t.match(await wrong.$eval('#status', (el) => el.textContent), /“no spaces allowed” is not a valid room name.*check the link/);
  await wrong.close();

  const early = await openWatcher(chromium.browser, server.httpUrl, 'later');
  await waitForState(early, 'waiting');
  t.match(await early.$eval('#status', (el) => el.textContent), /^Nothing is live in room “later” yet\. This page starts playing/);
  await early.close();
});

t.test('Fullscreen and Picture in picture', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'buttons');
  await clickButton(broadcaster, 'Start broadcast');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'buttons');
  await waitForState(watcher, 'live');
  await waitForFramesAbove(watcher, 0);
  t.equal(await watcher.$('#diagnosis').then((el) => el!.evaluate((e) => (e as HTMLElement).hidden)), true, 'a direct connection needs no note');

  await clickButton(watcher, 'Fullscreen');
  await watcher.waitForFunction(() => document.fullscreenElement?.tagName === 'VIDEO', POLL);
  t.equal(await watcher.$eval('#fullscreen', (b) => b.textContent), 'Exit fullscreen');
  // The video covers the page now (its buttons are under it): leave the way the browser's own Esc would.
  await watcher.evaluate(() => document.exitFullscreen());
  await watcher.waitForFunction(() => document.fullscreenElement === null && document.getElementById('fullscreen')?.textContent === 'Fullscreen', POLL);
  t.pass('fullscreen on the video, and back');

  const pipEnabled = await watcher.evaluate(() => document.pictureInPictureEnabled);
  t.equal(await watcher.$eval('#pip', (b) => (b as HTMLButtonElement).disabled), !pipEnabled, 'the button is usable exactly when the browser has PiP');
  if (pipEnabled) {
    await clickButton(watcher, 'Picture in picture');
    await watcher.waitForFunction(() => document.pictureInPictureElement?.tagName === 'VIDEO', POLL);
    t.equal(await watcher.$eval('#pip', (b) => b.textContent), 'Exit picture in picture');
    await clickButton(watcher, 'Exit picture in picture');
    await watcher.waitForFunction(() => document.pictureInPictureElement === null, POLL);
  } else {
    t.comment('this Chromium has no picture-in-picture (headless); only the disabled button is checked');
  }
  await broadcaster.close();
  await watcher.close();
});
