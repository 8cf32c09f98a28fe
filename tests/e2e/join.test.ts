/**
 * A late joiner in real Chromium: the watch page's fast join plays the broadcast and reports every milestone of its
 * time to first frame through `window.onair.timings()`, in order; past `MAX_VIEWERS` the page says the room is full.
 */
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const { server, chromium } = await startE2e(t, { MAX_VIEWERS: '1' });

const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'join');
await clickButton(broadcaster, 'Start broadcast');
await waitForState(broadcaster, 'live');

t.test('a late joiner plays, and its timings name every step in order', async (t) => {
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'join');
  await waitForState(watcher, 'live');
  await waitForFramesAbove(watcher, 0);
  const { timings, firstFrameMs } = await watcher.evaluate(() => ({
    timings: (window.onair as { timings(): Record<string, number> }).timings(),
    firstFrameMs: Number(document.body.dataset.firstFrameMs),
  }));
  const steps = ['scriptStart', 'wsOpen', 'joined', 'offer', 'iceConnected', 'dtlsConnected', 'firstFrame'];
  t.same(Object.keys(timings).sort(), [...steps].sort(), 'every milestone is there');
  for (let i = 1; i < steps.length; i++) {
    t.ok(timings[steps[i - 1]!]! <= timings[steps[i]!]!, `${steps[i - 1]} (${timings[steps[i - 1]!]}) ≤ ${steps[i]} (${timings[steps[i]!]})`);
  }
  t.equal(Math.round(timings.firstFrame!), firstFrameMs, 'firstFrame is body[data-first-frame-ms]');
  t.comment(`late joiner: ${steps.map((s) => `${s} ${timings[s]}`).join(', ')} (ms since navigation)`);
  const senders = await broadcaster.evaluate(() => (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections().length);
  t.equal(senders, 1, 'the fast join gave the broadcaster one peer connection for it, not two');

  await t.test('the next watcher is told the room is full', async (t) => {
    const refused = await openWatcher(chromium.browser, server.httpUrl, 'join');
    await waitForState(refused, 'full');
    t.match(await refused.$eval('#status', (el) => el.textContent), /^Room “join” is full/);
    t.equal(await refused.evaluate(() => (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection()), null, 'no peer connection');
    await refused.close();
  });
  await waitForFramesAbove(watcher, (await waitForFramesAbove(watcher, 0)));
  t.pass('the first watcher still plays');
  await watcher.close();
});
