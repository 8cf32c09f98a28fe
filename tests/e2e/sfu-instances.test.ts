/**
 * Two Janus instances (`JANUS_URLS`), end to end with the real Janus and Chromium (`MESH_MAX_VIEWERS=0`,
 * `JANUS_MAX_VIEWERS=1`): the room escalates onto janus-1; the first watcher subscribes there, the second past the
 * cap goes to a cascade on janus-2 (a remote publisher fed by janus-1's forwarding), and both play. Then janus-1, the
 * origin, is SIGKILLed: the room moves to janus-2 at once (the broadcaster publishes there, both watchers get its
 * offer), and both pages decode from a new SFU peer.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import type { PathEvent } from '../../client/watch/viewer.ts';
import { startManagedJanus } from '../../server/sfu/managed-janus.ts';
import { capturedLogger, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { startE2e } from '../helpers/e2e.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { log } = capturedLogger();
  const secrets = { apiSecret: 'onair-test-api-secret-0123', adminKey: 'onair-test-admin-key-0123' };
  const managed = { rtpPortRange: null, iceInterfaces: [SFU_INTERFACE], nat11: [] };
  // A killed instance is restarted by its manager on another port: for OnAir (which knows the old URL) it stays dead.
  const [one, two] = await Promise.all([startManagedJanus({ log, managed, secrets }), startManagedJanus({ log, managed, secrets })]);
  t.teardown(async () => {
    await one.stop();
    await two.stop();
  });
  const { server, chromium } = await startE2e(t, {
    SFU: 'janus',
    JANUS_URLS: `${one.target().url},${two.target().url}`,
    JANUS_API_SECRET: secrets.apiSecret,
    JANUS_ADMIN_KEY: secrets.adminKey,
    MESH_MAX_VIEWERS: '0',
    JANUS_MAX_VIEWERS: '1',
  });
  const pool = server.app.sfu!.pool;
  await Promise.all(pool.instances.map((i) => i.client.connection.whenUp()));
  const ROOM = 'two-instances';
  const POLL = { polling: 100 } as const;
  const viaSfu = (page: Page) => page.waitForFunction(() => (window.onair as { viaMediaServer(): boolean }).viaMediaServer(), POLL);
  const events = (page: Page) => page.evaluate(() => (window.onair as { pathEvents(): PathEvent[] }).pathEvents());

  t.test('past JANUS_MAX_VIEWERS a watcher plays through a cascade; the origin killed, the room moves to the live instance', async (t) => {
    const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, ROOM);
    await clickButton(broadcaster, 'Start broadcast');
    await waitForState(broadcaster, 'live');
    const first = await openWatcher(chromium.browser, server.httpUrl, ROOM);
    await viaSfu(first);
    await waitForFramesAbove(first, 0);
    t.same(pool.instances.map((i) => i.viewers), [1, 0], 'the first watcher subscribes on janus-1, the origin');
    const second = await openWatcher(chromium.browser, server.httpUrl, ROOM);
    await viaSfu(second);
    await waitForFramesAbove(second, 0);
    t.same(pool.instances.map((i) => i.viewers), [1, 1], 'the second, past the cap, on janus-2');
    t.same(pool.instances.map((i) => i.rooms), [1, 1], "janus-2 holds the cascade's room");
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    t.match(metrics, /onair_sfu_instance_viewers\{instance="janus-1"\} 1\n[^]*onair_sfu_instance_viewers\{instance="janus-2"\} 1/, '/metrics counts them per instance');
    t.pass('both play');

    const peersBefore = await Promise.all([first, second].map(async (page) => new Set((await events(page)).map((e) => e.peer))));
    process.kill(one.pid()!, 'SIGKILL');
    for (const [i, page] of [first, second].entries()) {
      await page.waitForFunction(
        (known: string[]) => (window.onair as { pathEvents(): PathEvent[] }).pathEvents().some((e) => e.event === 'decoded' && !known.includes(e.peer)),
        { ...POLL, timeout: 60_000 },
        [...peersBefore[i]!],
      );
      const frames = await waitForFramesAbove(page, 0);
      await waitForFramesAbove(page, frames);
      t.pass(`watcher ${i + 1} decodes from a new SFU peer after the kill`);
    }
    t.same(pool.instances.map((i) => i.viewers), [0, 2], 'both now on janus-2');
    t.match(await (await fetch(`${server.httpUrl}/metrics`)).text(), /onair_sfu_instance_up\{instance="janus-1"\} 0/, 'janus-1 down in /metrics');
    t.equal(await broadcaster.$eval('body', (b) => b.dataset.state), 'live', 'the broadcaster stayed live');
  });
}
