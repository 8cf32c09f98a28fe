/**
 * The pages heal by themselves when the relay goes away: the server shuts down (every socket gets 1001 "going
 * away"), both pages show that they are reconnecting, and when a server is back on the same port the broadcast plays
 * again on the same watcher page, without a reload.
 */
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer = await startServer();
const port = new URL(server.httpUrl).port;
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  await server.close();
});

t.test('both pages reconnect after a server restart and the stream comes back', async (t) => {
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'restart');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'restart');
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(watcher, 'live');
  await watcher.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  await server.close();
  await waitForState(broadcaster, 'reconnecting');
  await waitForState(watcher, 'reconnecting');
  t.pass('both pages show that they are reconnecting');

  server = await startServer({ PORT: port });
  await waitForState(broadcaster, 'live');
  await waitForState(watcher, 'live');
  const first = await waitForFramesAbove(watcher, 0);
  t.ok((await waitForFramesAbove(watcher, first)) > first, 'the watcher decodes video again');
  t.equal(await watcher.evaluate(() => (window as unknown as { marker?: number }).marker), 7, 'without a reload');
});
