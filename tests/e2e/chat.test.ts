/**
 * Room chat between real pages in headless Chromium: names chosen on the page, text shown as text (never HTML),
 * history for a page that opens later, and the broadcaster's switch that turns chat off for everyone.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, waitForState } from '../helpers/pages.ts';

const POLL = { polling: 100 } as const;
const { server, chromium } = await startE2e(t);

const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'chat');
const watcher = await openWatcher(chromium.browser, server.httpUrl, 'chat');
await clickButton(broadcaster, 'Start broadcast');
await waitForState(watcher, 'live');

/** Type a name and a message on `page` and press Enter. */
async function say(page: Page, name: string, text: string): Promise<void> {
  await page.bringToFront();
  await page.$eval('#chat-name', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('#chat-name', name);
  await page.type('#chat-text', text);
  await page.keyboard.press('Enter');
}

/** The chat log of `page`, once it has `count` lines. */
async function log(page: Page, count: number): Promise<{ role: string; name: string; text: string; time: string }[]> {
  await page.waitForFunction((n) => document.querySelectorAll('#chat-log li').length >= n, POLL, count);
  return page.$$eval('#chat-log li', (lis) =>
    lis.map((li) => ({
      role: (li as HTMLElement).dataset.role ?? '',
      name: li.querySelector('strong')?.textContent ?? '',
      text: li.querySelector('.text')?.textContent ?? '',
      time: li.querySelector('time')?.textContent ?? '',
    })),
  );
}

const MARKUP = '<img src=x onerror="document.body.dataset.pwned=1"> <b>bold?</b>';

t.test('a watcher and the broadcaster chat; markup shows as text', async (t) => {
  await say(watcher, 'Ada', MARKUP);
  const seen = await log(broadcaster, 1);
  t.match(seen[0], { role: 'watcher', name: 'Ada', text: MARKUP, time: /\d/ });
  t.equal(await broadcaster.$$eval('#chat-log img, #chat-log b', (els) => els.length), 0, 'no element was made from the text');
  t.equal(await broadcaster.evaluate(() => document.body.dataset.pwned), undefined, 'no script ran');

  t.equal(await watcher.evaluate(() => localStorage.getItem('onair.name')), 'Ada', 'the name is remembered');

  await say(broadcaster, 'Host', 'Welcome!');
  const onWatcher = await log(watcher, 2);
  t.same(onWatcher.map((m) => [m.role, m.name, m.text]), [['watcher', 'Ada', MARKUP], ['broadcaster', 'Host', 'Welcome!']]);
  t.equal(await watcher.$eval('#chat-text', (el) => (el as HTMLInputElement).value), '', 'the input is cleared after sending');
});

t.test('a page that opens later gets the history', async (t) => {
  const late = await openWatcher(chromium.browser, server.httpUrl, 'chat');
  const seen = await log(late, 2);
  t.same(seen.map((m) => m.text), [MARKUP, 'Welcome!']);
  await late.close();
});

t.test('the broadcaster turns chat off and on for everyone', async (t) => {
  await broadcaster.bringToFront();
  await broadcaster.click('#chat-enabled');
  await watcher.waitForFunction(() => (document.getElementById('chat-text') as HTMLInputElement).disabled, POLL);
  t.equal(await watcher.$eval('#chat-notice', (el) => el.textContent), 'Chat is off in this room.');
  t.equal(await broadcaster.$eval('#chat-enabled', (el) => (el as HTMLInputElement).checked), false);
  await broadcaster.click('#chat-enabled');
  await watcher.waitForFunction(() => !(document.getElementById('chat-text') as HTMLInputElement).disabled, POLL);
  await say(watcher, 'Ada', 'back');
  t.equal((await log(broadcaster, 3))[2]?.text, 'back');
});
