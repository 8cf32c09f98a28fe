/**
 * Several nodes behind one address, with the real parts: three OnAir node processes sharing a real Redis, a real
 * nginx in front of two of them running `deploy/nginx/onair.conf`, a Chromium broadcaster on the third and Chromium
 * watchers that reach whichever node nginx picks. Everyone plays and hears the cluster's viewer count and chat; a watcher's node is
 * SIGKILLed and its watchers resume on another node through nginx with the same peer connection, their frames still
 * decoded; Redis restarts mid-broadcast and a new watcher still gets the broadcast.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { startNginx } from '../helpers/nginx.ts';
import { clickButton, openBroadcaster, openWatcher, peerConnectionsMade, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { freePort } from '../helpers/ports.ts';
import { scrape, value } from '../helpers/prometheus.ts';
import { startRedis } from '../../scripts/lib/redis-server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const POLL = { polling: 100 } as const;
const redis = await startRedis();
const ports = [await freePort(), await freePort(), await freePort()];
const nodes: ServerProcess[] = [];
for (const port of ports) nodes.push(await startServerProcess(port, { REDIS_URL: redis.url, LOG_LEVEL: 'info' }));
// The broadcaster's node is reached directly; nginx balances the watchers over the other two.
const nginx = await startNginx(ports.slice(1).map((p) => `127.0.0.1:${p}`));
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  await nginx.stop();
  for (const node of nodes) node.child.kill('SIGKILL');
  await Promise.all(nodes.map((n) => n.exited));
  await redis.stop();
});

/** This node's own sockets by role (its `/metrics`, not the cluster's). */
async function socketsOn(node: ServerProcess): Promise<{ broadcaster: number; watcher: number }> {
  const scraped = await scrape(node.httpUrl);
  return { broadcaster: value(scraped, 'onair_sockets', { role: 'broadcaster' }) ?? 0, watcher: value(scraped, 'onair_sockets', { role: 'watcher' }) ?? 0 };
}

/** Wait until the page's `#viewers` shows `count`. */
async function viewersShown(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (document.getElementById('viewers') as HTMLOutputElement).value === String(n), POLL, count);
}

t.test('three nodes behind nginx: play, count, chat; a watcher node dies; Redis restarts', { timeout: 240_000 }, async (t) => {
  const broadcaster = await openBroadcaster(chromium.browser, nodes[0]!.httpUrl, 'cluster');
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(broadcaster, 'live');

  // Three watchers through nginx, on the other two nodes; the one holding the most will die.
  const watchers: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await openWatcher(chromium.browser, nginx.httpUrl, 'cluster');
    await waitForState(page, 'live');
    watchers.push(page);
  }
  const held = await Promise.all(nodes.map((n) => socketsOn(n)));
  t.same(held[0], { broadcaster: 1, watcher: 0 }, 'the broadcaster alone on the first node');
  const victim = held[1]!.watcher >= held[2]!.watcher ? nodes[1]! : nodes[2]!;
  const onVictim = (await socketsOn(victim)).watcher;
  t.ok(onVictim > 0, `${onVictim} of ${watchers.length} watchers on the node that will die`);

  for (const page of [broadcaster, ...watchers]) await viewersShown(page, watchers.length);
  t.pass('every page shows the cluster viewer count');
  const last = watchers[watchers.length - 1]!;
  await last.bringToFront();
  await last.type('#chat-text', 'hello across nodes');
  await last.keyboard.press('Enter');
  for (const page of [broadcaster, ...watchers]) {
    await page.waitForFunction(() => [...document.querySelectorAll('#chat-log li .text')].some((e) => e.textContent === 'hello across nodes'), POLL);
  }
  t.pass('chat reaches every page on every node');

  const before = await Promise.all(watchers.map((w) => waitForFramesAbove(w, 0)));
  const killedAt = performance.now();
  victim.child.kill('SIGKILL');
  await victim.exited;
  const after = await Promise.all(watchers.map((w, i) => waitForFramesAbove(w, before[i]!)));
  t.pass('every watcher decodes frames after the node died');
  const survivors = nodes.filter((n) => n !== victim);
  await t.resolves(
    (async () => {
      for (;;) {
        const resumed = survivors.map((n) => n.output().match(/"resumed":true/g)?.length ?? 0).reduce((a, b) => a + b, 0);
        if (resumed >= onVictim) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })(),
    'the dead node\'s watchers resumed on the other nodes',
  );
  t.comment(`every watcher of the dead node resumed ${((performance.now() - killedAt) / 1000).toFixed(2)} s after the kill (reported, not asserted)`);
  for (const w of watchers) await waitForState(w, 'live');
  t.same(await Promise.all(watchers.map((w) => peerConnectionsMade(w))), watchers.map(() => 1), 'no watcher made a second peer connection');
  t.equal(await peerConnectionsMade(broadcaster), watchers.length, 'nor the broadcaster');
  await Promise.all(watchers.map((w, i) => waitForFramesAbove(w, after[i]!)));
  t.pass('and the frames keep coming');

  await redis.restart();
  const late = await openWatcher(chromium.browser, nginx.httpUrl, 'cluster');
  await waitForState(late, 'live');
  await waitForFramesAbove(late, 0);
  t.pass('after Redis restarted, a new watcher gets the broadcast through any node');
  await Promise.all(watchers.map((w, i) => waitForFramesAbove(w, after[i]!)));
  t.pass('and the others still play');
});
