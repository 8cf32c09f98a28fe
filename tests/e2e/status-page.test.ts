/**
 * The operator's status page in headless Chromium: it lists the live room with its watchers and what the
 * broadcaster delivers. Also takes the README's screenshots of the three pages (docs/screenshots/ is refreshed by
 * hand from tests/artifacts/).
 */
import { mkdirSync } from 'node:fs';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const POLL = { polling: 200 } as const;
const { server, chromium } = await startE2e(t);
mkdirSync('tests/artifacts', { recursive: true });

t.test('the status page shows the live room, its watchers and delivery', async (t) => {
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'keynote');
  await broadcaster.setViewport({ width: 1280, height: 1000 });
  await clickButton(broadcaster, 'Start broadcast');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'keynote');
  await watcher.setViewport({ width: 1100, height: 900 });
  await waitForState(watcher, 'live');
  await waitForFramesAbove(watcher, 0);
  const idle = await openWatcher(chromium.browser, server.httpUrl, 'lobby');
  await waitForState(idle, 'waiting');

  // A little chat, so the screenshots show it.
  await broadcaster.bringToFront();
  await broadcaster.type('#chat-name', 'Host');
  await broadcaster.type('#chat-text', 'Welcome! Questions in the chat, please.');
  await broadcaster.keyboard.press('Enter');
  await watcher.bringToFront();
  await watcher.type('#chat-name', 'Ada');
  await watcher.type('#chat-text', 'Hello from the back row!');
  await watcher.keyboard.press('Enter');

  const status = await chromium.browser.newPage();
  await status.setViewport({ width: 1100, height: 420 });
  await status.goto(`${server.httpUrl}/status`);
  // The broadcaster reports every 5 s; the page refreshes every 2 s.
  await status.waitForFunction(() => /kbit\/s/.test(document.querySelector('#rooms tr')?.textContent ?? ''), POLL);
  const rows = await status.$$eval('#rooms tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  t.match(rows[0], ['keynote', 'live', '1', 'peer to peer: 1', '1', /^[\d,]+ kbit\/s$/, /^[\d.]+ fps$/, 'on']);
  t.match(rows[1], ['lobby', 'waiting', '1', 'peer to peer: 1', '–', '–', '–', 'on']);
  t.equal(await status.$eval('#totals', (el) => el.textContent), '2 rooms, 1 live, 2 watchers; media server: none');

  await status.screenshot({ path: 'tests/artifacts/status.png' });
  await clickButton(watcher, 'Stats'); // (the `s` key would go to the chat input, which has the focus)
  await watcher.waitForFunction(() => /kbit/.test(document.querySelector('[data-stat="bitrate"]')?.textContent ?? ''), POLL);
  await watcher.screenshot({ path: 'tests/artifacts/watch.png' });
  await broadcaster.bringToFront();
  await broadcaster.waitForFunction(() => /kbit/.test(document.querySelector('#audience tr[data-watcher] td:nth-child(5)')?.textContent ?? ''), POLL);
  await broadcaster.screenshot({ path: 'tests/artifacts/broadcast.png', fullPage: true });
});
