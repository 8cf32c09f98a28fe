/**
 * The broadcaster's adaptation in real Chromium: every watcher's video sender gets the encoding parameters of the
 * room's rung (read back with `RTCRtpSender.getParameters()`), a larger audience moves every sender down the ladder,
 * and `?adapt=off` leaves the encodings to the browser. No timing is asserted: the test waits for the parameters.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { AUDIENCE_RUNGS, LADDER } from '../../client/broadcast/adaptation-policy.ts';
import { clickButton, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const { server, chromium } = await startE2e(t);

interface SenderEncoding {
  maxBitrate?: number;
  scaleResolutionDownBy?: number;
  maxFramerate?: number;
  degradationPreference?: string;
}

/** Open the broadcaster page with `query`, start broadcasting in `room`. */
async function broadcast(room: string, query = ''): Promise<Page> {
  const page = await chromium.browser.newPage();
  page.on('pageerror', (err) => console.error('broadcaster page error:', err));
  await page.goto(`${server.httpUrl}/?room=${room}${query}`);
  await page.waitForFunction(() => !(document.getElementById('start') as HTMLButtonElement).disabled, { polling: 100 });
  await clickButton(page, 'Start broadcast');
  await waitForState(page, 'live');
  return page;
}

/** Every video sender's first encoding, with the parameters' degradationPreference. */
function encodings(page: Page): Promise<SenderEncoding[]> {
  return page.evaluate(() =>
    (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections().flatMap((pc) =>
      pc.getSenders().filter((s) => s.track?.kind === 'video').map((s) => {
        const params = s.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
        const e = params.encodings[0] ?? {};
        return { maxBitrate: e.maxBitrate, scaleResolutionDownBy: e.scaleResolutionDownBy, maxFramerate: e.maxFramerate, degradationPreference: params.degradationPreference };
      }),
    ),
  );
}

/** Wait until `count` video senders all have at least `scale` as scaleResolutionDownBy. */
async function waitForScale(page: Page, count: number, scale: number): Promise<void> {
  await page.waitForFunction(
    (n, min) => {
      const pcs = (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections();
      const scales = pcs.flatMap((pc) => pc.getSenders().filter((s) => s.track?.kind === 'video').map((s) => s.getParameters().encodings[0]?.scaleResolutionDownBy ?? 1));
      return scales.length === n && scales.every((v) => v >= min);
    },
    { polling: 200 },
    count,
    scale,
  );
}

t.test('one watcher: its sender gets the top rung, maintain-framerate; the watcher plays', async (t) => {
  const broadcaster = await broadcast('adapt-one');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'adapt-one');
  await waitForState(watcher, 'live');
  await waitForFramesAbove(watcher, 0);
  await broadcaster.waitForFunction(() => (window.onair as { adaptation(): { targets: unknown[] } | null }).adaptation()?.targets.length === 1, { polling: 200 });
  const [encoding] = await encodings(broadcaster);
  const top = LADDER[0]!;
  t.equal(encoding?.maxBitrate, top.maxBitrateKbps * 1000, 'maxBitrate of the top rung');
  t.equal(encoding?.scaleResolutionDownBy, top.scaleResolutionDownBy, 'full resolution');
  t.ok(encoding?.maxFramerate !== undefined && encoding.maxFramerate >= 1, `maxFramerate set (${encoding?.maxFramerate})`);
  t.ok(encoding?.degradationPreference === undefined || encoding.degradationPreference === 'maintain-framerate', `degradationPreference ${encoding?.degradationPreference}`);
  await Promise.all([watcher.close(), broadcaster.close()]);
});

t.test('a larger audience moves every sender down the ladder', async (t) => {
  const watchers = AUDIENCE_RUNGS[0]! + 1;
  const broadcaster = await broadcast('adapt-many');
  const pages: Page[] = [];
  for (let i = 0; i < watchers; i++) pages.push(await openWatcher(chromium.browser, server.httpUrl, 'adapt-many'));
  for (const page of pages) await waitForState(page, 'live');
  await waitForScale(broadcaster, watchers, LADDER[1]!.scaleResolutionDownBy);
  const applied = await encodings(broadcaster);
  t.equal(applied.length, watchers, `${watchers} video senders`);
  for (const [i, e] of applied.entries()) {
    t.ok((e.maxBitrate ?? Infinity) <= LADDER[1]!.maxBitrateKbps * 1000, `sender ${i}: maxBitrate ${e.maxBitrate} at rung 1 or below`);
  }
  const snapshot = await broadcaster.evaluate(() => (window.onair as { adaptation(): { rung: number } | null }).adaptation());
  t.ok(snapshot && snapshot.rung >= 1, `the room's rung is ${snapshot?.rung}`);
  await waitForFramesAbove(pages[0]!, 0);
  t.pass('watchers still decode');
  await Promise.all([...pages.map((p) => p.close()), broadcaster.close()]);
});

t.test('?adapt=off leaves the encodings to the browser', async (t) => {
  const broadcaster = await broadcast('adapt-off', '&adapt=off');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'adapt-off');
  await waitForState(watcher, 'live');
  await waitForFramesAbove(watcher, 0);
  t.equal(await broadcaster.evaluate(() => (window.onair as { adaptation(): unknown }).adaptation()), null, 'no adaptation');
  const [encoding] = await encodings(broadcaster);
  t.equal(encoding?.maxBitrate, undefined, 'no maxBitrate');
  t.equal(encoding?.scaleResolutionDownBy ?? 1, 1, 'full resolution');
  await Promise.all([watcher.close(), broadcaster.close()]);
});
