/**
 * Every page in every state, as a phone, a screen reader and a desktop see it, in headless Chromium: axe-core finds
 * no violation of any impact (WCAG 2.2 A/AA and best practices), in the light and the dark theme, at phone and
 * desktop sizes; no page is wider than a 320, 360 or 390 px window; every control is a 44 × 44 px target; Start broadcast is on the first screen of a
 * phone; the broadcaster page does not shift as its device lists fill. Also takes the README's phone screenshots
 * (docs/screenshots/ is refreshed by hand from tests/artifacts/).
 *
 * States: the watch page waiting, live (with the stats overlay and chat), ended, refused (bad room name) and full;
 * the broadcaster page idle, with an invalid room typed, and live with 20 watchers in its audience panel (relay-level
 * watchers whose offers go unanswered: rows, not media); the status page with rooms; the embeddable player waiting,
 * live and ended.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer';
import t, { type Test } from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { axeViolations, layoutShift, PHONE_WIDTHS, recordLayoutShifts, resize, SIZES, smallTargets, widthAt } from '../helpers/page-checks.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

const POLL = { polling: 100 } as const;
const server = await startServer();
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  await server.close();
});
mkdirSync('tests/artifacts', { recursive: true });

/**
 * Check `page` as it is now: it fits every phone width, every control is a 44 × 44 px target on a phone, and axe
 * finds nothing at either size in either theme.
 */
async function check(t: Test, page: Page, name: string): Promise<void> {
  await page.bringToFront();
  for (const width of PHONE_WIDTHS) {
    const { scrollWidth, innerWidth } = await widthAt(page, width);
    t.equal(innerWidth, width, `${name}: the window is ${width} px wide`);
    t.ok(scrollWidth <= width, `${name} at ${width} px: the page is ${scrollWidth} px wide, no sideways scroll`);
  }
  t.same(await smallTargets(page), [], `${name}: every control is at least 44 × 44 px`);
  for (const [size, { width, height }] of Object.entries(SIZES)) {
    await resize(page, width, height);
    for (const theme of ['light', 'dark'] as const) {
      t.same(await axeViolations(page, theme), [], `${name}, ${size}, ${theme} theme: no axe violation`);
    }
  }
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
}

/** A phone screenshot of `page` at 390 × 844 (an iPhone's CSS size) into tests/artifacts/. */
async function phoneShot(page: Page, file: string, fullPage = false): Promise<void> {
  await page.bringToFront();
  await resize(page, 390, 844);
  await page.screenshot({ path: `tests/artifacts/${file}`, fullPage });
}

t.test('the watch page: waiting, refused, full', async (t) => {
  const waiting = await openWatcher(chromium.browser, server.httpUrl, 'lobby');
  await waitForState(waiting, 'waiting');
  t.match(await waiting.$eval('#status', (el) => el.textContent), /^Nothing is live in room “lobby” yet\. This page starts playing/);
  await check(t, waiting, 'watch page, waiting');
  await waiting.close();

  const wrong = await openWatcher(chromium.browser, server.httpUrl, 'no spaces allowed');
  await waitForState(wrong, 'error');
  await check(t, wrong, 'watch page, bad room name');
  await wrong.close();

  const small = await startServer({ MAX_VIEWERS: '1' });
  t.teardown(() => small.close());
  const broadcaster = await openBroadcaster(chromium.browser, small.httpUrl, 'tiny');
  await clickButton(broadcaster, 'Start broadcast');
  const first = await openWatcher(chromium.browser, small.httpUrl, 'tiny');
  await waitForState(first, 'live');
  const refused = await openWatcher(chromium.browser, small.httpUrl, 'tiny');
  await waitForState(refused, 'full');
  await check(t, refused, 'watch page, room full');
  for (const page of [refused, first, broadcaster]) await page.close();
});

t.test('the broadcaster page: idle, invalid room, live with 20 watchers; the watch page live and ended; status; embed', async (t) => {
  const page = await chromium.browser.newPage();
  await recordLayoutShifts(page);
  await resize(page, SIZES.phone.width, SIZES.phone.height);
  await page.goto(`${server.httpUrl}/?room=show`);
  await page.waitForFunction(() => !(document.getElementById('start') as HTMLButtonElement).disabled && document.getElementById('status')?.textContent === 'Off air', POLL);
  const start = await page.$eval('#start', (b) => b.getBoundingClientRect().toJSON() as DOMRect);
  t.ok(start.bottom <= SIZES.phone.height, `Start broadcast is on a 360 × 740 phone's first screen (its bottom at ${Math.round(start.bottom)} px)`);
  t.ok(start.height >= 44 && start.width >= 44, 'Start broadcast is at least 44 × 44 px');
  t.equal(await layoutShift(page), 0, 'no layout shift while the camera opens and the device lists fill');
  await phoneShot(page, 'broadcast-phone.png');
  await check(t, page, 'broadcaster page, idle');

  // A room name the server would refuse is caught as it is typed.
  await page.click('#room', { count: 3 });
  await page.type('#room', 'my room');
  t.equal(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled), true, 'Start is off for "my room"');
  t.equal(await page.$eval('#share', (el) => (el as HTMLElement).hidden), true, 'no link, QR code or snippet for it');
  t.match(await page.$eval('#room-error', (el) => el.textContent), /^A room name is 1 to 64 letters/);
  t.equal(await page.$eval('#room', (el) => el.getAttribute('aria-invalid')), 'true');
  await check(t, page, 'broadcaster page, invalid room');
  await page.click('#room', { count: 3 });
  await page.type('#room', 'show');
  t.equal(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled), false, 'Start is back on for "show"');
  t.match(await page.$eval('#embed-snippet', (el) => (el as HTMLTextAreaElement).value), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\?room=show"/);

  await clickButton(page, 'Start broadcast');
  await waitForState(page, 'live');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'show');
  const embed = await chromium.browser.newPage();
  await embed.goto(`${server.httpUrl}/embed?room=show`);
  await waitForState(watcher, 'live');
  await waitForState(embed, 'live');
  await waitForFramesAbove(watcher, 0);
  // 20 more watchers at the relay level: each gets an offer it never answers, and a row in the audience panel.
  const crowd = await Promise.all(Array.from({ length: 20 }, async () => {
    const peer = await WsPeer.connect(server.wsUrl);
    peer.send({ type: 'join', room: 'show', role: 'watcher', getBroadcast: true });
    await peer.next('offer');
    return peer;
  }));
  t.teardown(() => Promise.all(crowd.map((p) => p.close())));
  await page.bringToFront();
  await page.waitForFunction(() => document.querySelectorAll('#audience tr[data-watcher]').length === 22, POLL);
  await watcher.bringToFront();
  await watcher.type('#chat-name', 'Ada');
  await watcher.type('#chat-text', 'Hello from a phone, with a message long enough to wrap onto a second line or more.');
  await watcher.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#chat-log li').length === 1, POLL);
  await check(t, page, 'broadcaster page, live with 22 watchers and chat');
  await phoneShot(page, 'broadcast-live-phone.png', true);

  for (const [width, height] of [[360, 740], [740, 360]] as const) {
    await resize(watcher, width, height);
    const video = await watcher.$eval('#video', (v) => v.getBoundingClientRect().width);
    t.equal(video, width, `the video fills the width of a ${width} × ${height} phone (${width > height ? 'landscape' : 'portrait'})`);
  }
  await clickButton(watcher, 'Stats');
  await watcher.waitForFunction(() => /kbit/.test(document.querySelector('[data-stat="bitrate"]')?.textContent ?? ''), POLL);
  await watcher.focus('#chat-text');
  await check(t, watcher, 'watch page, live, stats and chat open');
  await phoneShot(watcher, 'watch-phone.png', true);
  await check(t, embed, 'embedded player, live');

  const status = await chromium.browser.newPage();
  await status.goto(`${server.httpUrl}/status`);
  await status.waitForFunction(() => document.querySelectorAll('#rooms tr').length > 0, POLL);
  await check(t, status, 'status page');
  await phoneShot(status, 'status-phone.png');

  await clickButton(page, 'Stop broadcast');
  await waitForState(watcher, 'ended');
  await waitForState(embed, 'ended');
  t.match(await watcher.$eval('#status', (el) => el.textContent), /^The broadcast has ended\./);
  const over = await watcher.evaluate(() => {
    const message = document.getElementById('status')!.getBoundingClientRect();
    const video = document.getElementById('video')!.getBoundingClientRect();
    return message.top >= video.top && message.bottom <= video.bottom && message.width > 1;
  });
  t.ok(over, 'the ended broadcast is said over the player');
  await check(t, watcher, 'watch page, ended');
  await phoneShot(watcher, 'watch-ended-phone.png');
  await check(t, embed, 'embedded player, ended');
  for (const p of [status, embed, watcher, page]) await p.close();
});

t.test('the embedded player while waiting', async (t) => {
  const embed = await chromium.browser.newPage();
  await embed.goto(`${server.httpUrl}/embed?room=later`);
  await waitForState(embed, 'waiting');
  await check(t, embed, 'embedded player, waiting');
  await embed.close();
});
