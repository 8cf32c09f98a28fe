/**
 * The rate limit never starves a real broadcaster: a storm of watchers joining at once each gets its offer and every
 * trickled candidate, with the default budgets (a broadcaster's grows with its audience).
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { candidateFor, sdpFor, until } from '../signaling/helpers.ts';

const WATCHERS = 300;
const CANDIDATES = 8;

t.test(`${WATCHERS} watchers join at once: every offer and all ${CANDIDATES} candidates each are relayed`, { timeout: 120_000 }, async (t) => {
  const server = await startServer({ MAX_CONNECTIONS_PER_IP: String(WATCHERS + 10) });
  t.teardown(() => server.close());
  const b = await WsPeer.joined(server.wsUrl, 'storm', 'broadcaster');
  b.peer.send({ type: 'broadcastAvailable' });
  // The broadcaster answers every getBroadcast at once: an offer and a burst of candidates.
  b.peer.socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string; from?: string };
    if (m.type !== 'getBroadcast' || !m.from) return;
    b.peer.send({ type: 'offer', to: m.from, sdp: sdpFor('offer', m.from) });
    for (let i = 0; i < CANDIDATES; i++) b.peer.send({ type: 'iceOfferCandidate', to: m.from, candidate: candidateFor(m.from) });
  });
  const watchers = await Promise.all(Array.from({ length: WATCHERS }, () => WsPeer.joined(server.wsUrl, 'storm', 'watcher')));
  for (const w of watchers) w.peer.send({ type: 'getBroadcast', to: b.joined.id });
  await Promise.all(watchers.map((w) => until(w.peer, 'iceOfferCandidate', () => w.peer.received.filter((m) => m.type === 'iceOfferCandidate').length === CANDIDATES)));
  let offers = 0;
  let candidates = 0;
  for (const w of watchers) {
    offers += w.peer.received.filter((m) => m.type === 'offer' && m.sdp === sdpFor('offer', w.joined.id)).length;
    candidates += w.peer.received.filter((m) => m.type === 'iceOfferCandidate').length;
  }
  t.equal(offers, WATCHERS, 'every watcher got its offer');
  t.equal(candidates, WATCHERS * CANDIDATES, 'and every candidate');
  t.notOk(b.peer.received.some((m) => m.type === 'error'), 'the broadcaster was never rate limited');
  t.equal(b.peer.socket.readyState, b.peer.socket.OPEN);
  await Promise.all([b.peer.close(), ...watchers.map((w) => w.peer.close())]);
});
