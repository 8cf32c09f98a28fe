/**
 * End to end through TURN: a real coturn on loopback checking TURN REST credentials (`use-auth-secret`), the OnAir
 * server minting them from `TURN_SECRET`, and both pages forced to `iceTransportPolicy: "relay"`. Video still
 * arrives, and the selected candidate pair is relayed.
 */
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { startCoturn } from '../helpers/coturn.ts';
import { clickButton, openBroadcaster, openWatcher, selectedCandidateTypes, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const coturn = await startCoturn(randomBytes(24).toString('hex'));
const { server, chromium } = await startE2e(t, { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, ICE_TRANSPORT_POLICY: 'relay' });
t.teardown(async () => {
  await coturn.stop();
});

t.test('video arrives through TURN with relay-only ICE', async (t) => {
  const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'turn');
  const watcher = await openWatcher(chromium.browser, server.httpUrl, 'turn');
  await waitForState(watcher, 'waiting');
  await clickButton(broadcaster, 'Start broadcast');
  await waitForState(watcher, 'live');
  const first = await waitForFramesAbove(watcher, 0);
  t.ok((await waitForFramesAbove(watcher, first)) > first, 'framesDecoded grows');

  const types = await selectedCandidateTypes(watcher);
  t.same(types, { local: 'relay', remote: 'relay' }, 'the selected candidate pair is relay ↔ relay');
  await watcher.waitForFunction(() => document.getElementById('diagnosis')?.dataset.code === 'relayed', { polling: 100 });
  t.match(await watcher.$eval('#diagnosis', (el) => el.textContent), /^Relaying via TURN/, 'the watcher page says the media is relayed');
  t.ok(
    coturn.log.some((line) => /session .*: (realm <onair\.test> )?user <\d+:[A-Za-z0-9_-]{22}>/.test(line)),
    'coturn accepted a TURN REST username <expiry>:<peer id>',
  );
});
