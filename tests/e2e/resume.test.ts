/**
 * A restart that no viewer sees: one node, no Redis, a Chromium broadcaster and three Chromium watchers playing. The
 * server process is SIGKILLed (no goodbye to anyone), the pages say they are reconnecting while the video keeps
 * playing, and when the server is back on the same port (no state, the same resume key) every page resumes its
 * identity: no new peer connection anywhere, and every watcher's frames keep being decoded throughout.
 */
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { clickButton, openBroadcaster, openWatcher, peerConnectionsMade, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { freePort } from '../helpers/ports.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const port = await freePort();
let server: ServerProcess = await startServerProcess(port);
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  server.child.kill('SIGKILL');
  await server.exited;
});

t.test('SIGKILL and restart of the only node: no picture stops, no new peer connection', { timeout: 180_000 }, async (t) => {
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'resume');
  await clickButton(broadcaster, 'Start broadcast');
  const watchers = [];
  for (let i = 0; i < 3; i++) watchers.push(await openWatcher(chromium.browser, server.httpUrl, 'resume'));
  for (const w of watchers) await waitForState(w, 'live');
  const before = await Promise.all(watchers.map((w) => waitForFramesAbove(w, 0)));

  server.child.kill('SIGKILL');
  await server.exited;
  for (const w of watchers) await waitForState(w, 'reconnecting');
  await waitForState(broadcaster, 'reconnecting');
  t.match(await watchers[0]!.$eval('#status', (e) => e.textContent), /Reconnecting….*keeps playing/, 'the page says so in words');
  const whileDown = await Promise.all(watchers.map((w, i) => waitForFramesAbove(w, before[i]!)));
  t.pass('every watcher decodes frames while the server is down');

  server = await startServerProcess(port);
  await waitForState(broadcaster, 'live');
  for (const w of watchers) await waitForState(w, 'live');
  await Promise.all(watchers.map((w, i) => waitForFramesAbove(w, whileDown[i]!)));
  t.pass('and after it is back');
  t.same(await Promise.all(watchers.map((w) => peerConnectionsMade(w))), [1, 1, 1], 'each watcher made one peer connection, ever');
  t.equal(await peerConnectionsMade(broadcaster), 3, 'the broadcaster made one per watcher, ever');
  t.match(server.output(), /"resumed":true/, 'the restarted server resumed the peers');
});
