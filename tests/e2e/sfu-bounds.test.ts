/**
 * Bounds on what watchers make the server create in Janus, with the real Janus and a Chromium broadcaster in a room
 * that goes through the SFU from its first watcher (`MESH_MAX_VIEWERS=0`): 500 watchers join (each is subscribed:
 * it gets the SFU's offer) and leave — half by closing their socket, half by hanging up on the SFU first — and Janus
 * then holds exactly the handles it held before (Admin API `list_handles`). Neither Janus's address nor its room's
 * id reaches a watcher.
 */
import t from 'tap';
import { handleCount, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { clickButton, openBroadcaster, waitForState } from '../helpers/pages.ts';
import { startE2e } from '../helpers/e2e.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

const CYCLES = 500;
const PARALLEL = 10;

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { server, chromium } = await startE2e(
    t,
    { SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MESH_MAX_VIEWERS: '0', MAX_CONNECTIONS_PER_IP: '1000', MESSAGE_RATE_PER_S: '10000', MESSAGE_BURST: '10000' },
    [],
    { sfu: { adminApi: true } },
  );
  const sfu = server.app.sfu!;
  const handles = () => handleCount(sfu.managed!, sfu.pool.instances[0]!.client.connection);
  const ROOM = 'bounds';

  /** One watcher: join, get the SFU's offer, then hang up on the SFU (or not) and close. @returns the offer's sender */
  async function cycle(hangup: boolean): Promise<{ from: string; texts: string[] }> {
    const watcher = await WsPeer.connect(server.wsUrl);
    watcher.send({ type: 'join', room: ROOM, role: 'watcher', getBroadcast: true });
    const offer = await watcher.next('offer');
    if (hangup) watcher.send({ type: 'hangup', to: offer.from });
    await watcher.close();
    return { from: offer.from, texts: watcher.received.map((m) => JSON.stringify(m)) };
  }

  t.test(`${CYCLES} watcher join/leave cycles through the SFU leave Janus's handle count unchanged`, async (t) => {
    const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, ROOM);
    await clickButton(broadcaster, 'Start broadcast');
    await waitForState(broadcaster, 'live');
    // An anchor watcher escalates the room and stays: the publication is up once its offer comes.
    const anchor = await WsPeer.connect(server.wsUrl);
    anchor.send({ type: 'join', room: ROOM, role: 'watcher', getBroadcast: true });
    const anchorOffer = await anchor.next('offer');
    const before = await handles();
    t.ok(before >= 3, `Janus holds ${before} handles: administration, publisher, the anchor's subscription`);

    const offerers = new Set<string>();
    const texts: string[] = [];
    for (let done = 0; done < CYCLES; done += PARALLEL) {
      const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => cycle((done + i) % 2 === 0)));
      for (const r of results) offerers.add(r.from);
      texts.push(...results.flatMap((r) => r.texts));
    }
    t.same([...offerers], [anchorOffer.from], `each of the ${CYCLES} watchers was offered by the room's SFU peer`);
    // Leaving is asynchronous on Janus's side: read the count until it settles back (or the test's timeout fails it).
    let after = await handles();
    for (let reads = 0; after !== before && reads < 200; reads++) after = await handles();
    t.equal(after, before, `after ${CYCLES} cycles Janus holds ${after} handles, as before`);
    const url = sfu.managed!.target().url;
    t.notOk(texts.some((m) => m.includes(url)), "no message to a watcher holds Janus's API address");
    const sessionNames = new Set(texts.flatMap((m) => [...m.matchAll(/\\r\\ns=([^\\]*)\\r\\n/g)].map((x) => x[1])));
    t.same([...sessionNames], ['-'], "nor the Janus room's id (Janus's SDP session name is replaced)");
    await anchor.close();
  });
}
