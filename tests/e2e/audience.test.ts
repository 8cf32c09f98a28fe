/**
 * The broadcaster's audience panel and the watcher's stats overlay in headless Chromium, with real WebRTC on
 * loopback: one row per watcher from getStats() (state, candidate type, RTT, bitrate, fps, resolution, sparkline),
 * the uplink total; the page's stats reports reach /metrics; the overlay shows the watcher's figures. Screenshots
 * of both go to tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, videoSize, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { scrape, value } from '../helpers/prometheus.ts';

const POLL = { polling: 200 } as const;
const { server, chromium } = await startE2e(t);
mkdirSync('tests/artifacts', { recursive: true });

const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'panel');
await broadcaster.setViewport({ width: 1280, height: 900 });
const watchers = [await openWatcher(chromium.browser, server.httpUrl, 'panel'), await openWatcher(chromium.browser, server.httpUrl, 'panel')];
await clickButton(broadcaster, 'Start broadcast');
for (const w of watchers) {
  await waitForState(w, 'live');
  await waitForFramesAbove(w, 0);
}

t.test('one row per watcher, with its connection figures, and the uplink total', async (t) => {
  // Rows fill in once two reports a second apart give a bitrate.
  await broadcaster.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('#audience tr[data-watcher]')];
      return rows.length === 2 && rows.every((r) => r.getAttribute('data-state') === 'connected' && !/^0 kbit/.test(r.children[4]!.textContent) && /×/.test(r.children[7]!.textContent));
    },
    POLL,
  );
  const rows = await broadcaster.$$eval('#audience tr[data-watcher]', (trs) =>
    trs.map((tr) => ({ cells: [...tr.children].map((c) => c.textContent ?? ''), points: tr.querySelector('svg polyline')?.getAttribute('points') ?? '' })),
  );
  for (const { cells, points } of rows) {
    const [id, state, path, rtt, bitrate, , fps, resolution] = cells;
    t.match(id, /^[A-Za-z0-9_-]{6}$/, 'a short watcher id');
    t.equal(state, 'connected');
    t.equal(path, 'host', 'loopback: a host candidate pair');
    t.match(rtt, /^\d+ ms$/);
    t.match(bitrate, /^[\d,]+ kbit\/s$/);
    t.ok(Number(bitrate!.replace(/\D/g, '')) > 0, `bitrate ${bitrate}`);
    t.match(fps, /^\d+$/);
    t.match(resolution, /^\d+×\d+$/);
    t.ok(points.split(' ').length >= 2, 'a sparkline of at least two samples');
  }
  const uplink = await broadcaster.$eval('#uplink', (el) => el.textContent ?? '');
  t.ok(Number(uplink.replace(/\D/g, '')) > 0, `uplink total ${uplink}`);
  await broadcaster.screenshot({ path: 'tests/artifacts/audience-panel-page.png' });
  const panel = await broadcaster.$('section[aria-labelledby="audience-title"]');
  await panel!.screenshot({ path: 'tests/artifacts/audience-panel.png' });
});

t.test('the broadcaster reports what it delivers; /metrics shows it for the room', async (t) => {
  let bitrate: number | undefined;
  let fps: number | undefined;
  for (;;) {
    const m = await scrape(server.httpUrl);
    bitrate = value(m, 'onair_room_delivered_bitrate_kbps', { room: 'panel' });
    fps = value(m, 'onair_room_delivered_fps', { room: 'panel' });
    if (bitrate && bitrate > 0) {
      t.equal(value(m, 'onair_delivered_connections', { candidate_type: 'host' }), 2, 'two connected watchers, host pairs');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // the page reports every 5 s
  }
  t.ok(bitrate > 0, `delivered ${bitrate} kbit/s`);
  t.ok(fps! > 0, `delivered ${fps} fps`);
  const api = await (await fetch(`${server.httpUrl}/api/rooms`)).json();
  t.match(api.rooms, [{ name: 'panel', live: true, watchers: 2, delivered: { connected: 2 } }]);
});

t.test('the watcher overlay shows resolution, frame rate, bitrate, loss, jitter buffer, RTT and path', async (t) => {
  const page = watchers[0]!;
  await page.setViewport({ width: 1100, height: 800 });
  t.equal(await page.$eval('#overlay', (el) => (el as HTMLElement).hidden), true, 'hidden at first');
  await page.bringToFront();
  await page.keyboard.press('s');
  await page.waitForFunction(() => /kbit/.test(document.querySelector('[data-stat="bitrate"]')?.textContent ?? ''), POLL);
  const stats = await page.$$eval('#overlay dd', (dds) => Object.fromEntries(dds.map((dd) => [(dd).dataset.stat, dd.textContent])));
  const size = await videoSize(page);
  t.match(stats.resolution, /^\d+×\d+$/);
  t.ok(size.height > 0, `video ${size.width}×${size.height}, overlay ${stats.resolution}`);
  t.match(stats.frameRate, /^\d+ fps$/);
  t.match(stats.bitrate, /^[\d,.]+ [kM]bit\/s$/);
  t.match(stats.packetLoss, /^\d+\.\d %$/);
  t.match(stats.jitterBufferDelay, /^\d+ ms$/);
  t.match(stats.roundTripTime, /^\d+ ms$/);
  t.equal(stats.candidateType, 'direct (host)');
  t.equal(await page.$eval('#stats', (b) => b.getAttribute('aria-pressed')), 'true');
  await page.screenshot({ path: 'tests/artifacts/watch-overlay.png' });
  await clickButton(page, 'Stats');
  t.equal(await page.$eval('#overlay', (el) => (el as HTMLElement).hidden), true, 'the button hides it again');
});
