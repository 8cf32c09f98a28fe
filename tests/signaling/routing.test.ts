/**
 * Who may send what to whom (ROUTES): rooms never leak into each other, roles are enforced, `from` cannot be forged,
 * and a refused message leaves the connection usable. No sleeps: a refused message is answered with an error, and
 * messages on one socket arrive in order, so "the next message the target receives is the valid one" proves the
 * refused one never reached it.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { candidateFor, sdpFor, TEST_OPTIONS } from './helpers.ts';

const server = await startServer();
t.teardown(() => server.close());

/** A live room: a broadcaster that has announced, and two watchers that have heard it. */
async function liveRoom(room: string) {
  const b = await WsPeer.joined(server.wsUrl, room, 'broadcaster');
  b.peer.send({ type: 'broadcastAvailable' });
  const w1 = await WsPeer.joined(server.wsUrl, room, 'watcher');
  const w2 = await WsPeer.joined(server.wsUrl, room, 'watcher');
  for (const w of [w1, w2]) if (w.joined.broadcaster === null) await w.peer.next('broadcastAvailable');
  return { b: { peer: b.peer, id: b.joined.id }, w1: { peer: w1.peer, id: w1.joined.id }, w2: { peer: w2.peer, id: w2.joined.id } };
}

const closeAll = (...rooms: Awaited<ReturnType<typeof liveRoom>>[]) =>
  Promise.all(rooms.flatMap((r) => [r.b, r.w1, r.w2]).map((p) => p.peer.close()));

t.test('messages addressed to a peer of another room never arrive', TEST_OPTIONS, async (t) => {
  const a = await liveRoom('isle-a');
  const z = await liveRoom('isle-z');

  // The broadcaster of A addresses a watcher of Z: refused...
  a.b.peer.send({ type: 'offer', to: z.w1.id, sdp: sdpFor('offer', z.w1.id) });
  t.match(await a.b.peer.next(), { type: 'error', code: 'peer_not_found' });
  a.b.peer.send({ type: 'iceOfferCandidate', to: z.w1.id, candidate: candidateFor(z.w1.id) });
  t.match(await a.b.peer.next(), { type: 'error', code: 'peer_not_found' });
  // ...and the first relayed message Z's watcher then receives is its own broadcaster's.
  z.b.peer.send({ type: 'offer', to: z.w1.id, sdp: sdpFor('offer', z.w1.id) });
  t.same(await z.w1.peer.next(), { type: 'offer', from: z.b.id, sdp: sdpFor('offer', z.w1.id) });

  // A watcher of A addresses Z's broadcaster with every watcher message.
  for (const message of [
    { type: 'getBroadcast', to: z.b.id },
    { type: 'answer', to: z.b.id, sdp: sdpFor('answer', a.w1.id) },
    { type: 'iceAnswerCandidate', to: z.b.id, candidate: candidateFor(a.w1.id) },
  ]) {
    a.w1.peer.send(message);
    t.match(await a.w1.peer.next(), { type: 'error', code: 'peer_not_found' }, `${message.type} across rooms`);
  }
  z.w2.peer.send({ type: 'getBroadcast', to: z.b.id });
  t.same(await z.b.peer.next(), { type: 'getBroadcast', from: z.w2.id }, "Z's broadcaster hears only its room");

  // broadcastAvailable reaches only the sender's room.
  a.b.peer.send({ type: 'broadcastAvailable' });
  t.same(await a.w2.peer.next(), { type: 'broadcastAvailable', from: a.b.id });
  z.b.peer.send({ type: 'offer', to: z.w2.id, sdp: sdpFor('offer', z.w2.id) });
  t.same(await z.w2.peer.next(), { type: 'offer', from: z.b.id, sdp: sdpFor('offer', z.w2.id) }, "Z's watcher did not hear A's announcement");
  await closeAll(a, z);
});

t.test('roles: a watcher may not send what a broadcaster sends, and the reverse', TEST_OPTIONS, async (t) => {
  const r = await liveRoom('roles');
  for (const message of [
    { type: 'offer', to: r.b.id, sdp: sdpFor('offer', r.b.id) },
    { type: 'iceOfferCandidate', to: r.b.id, candidate: candidateFor(r.b.id) },
    { type: 'broadcastAvailable' },
  ]) {
    r.w1.peer.send(message);
    t.match(await r.w1.peer.next(), { type: 'error', code: 'forbidden', message: String }, `watcher sends ${message.type}`);
  }
  r.w1.peer.send({ type: 'answer', to: r.b.id, sdp: sdpFor('answer', r.w1.id) });
  t.same(await r.b.peer.next(), { type: 'answer', from: r.w1.id, sdp: sdpFor('answer', r.w1.id) }, 'the broadcaster got only the valid answer');
  r.b.peer.send({ type: 'offer', to: r.w2.id, sdp: sdpFor('offer', r.w2.id) });
  t.same(await r.w2.peer.next(), { type: 'offer', from: r.b.id, sdp: sdpFor('offer', r.w2.id) }, 'the other watcher got no announcement from a watcher');

  for (const message of [
    { type: 'answer', to: r.w1.id, sdp: sdpFor('answer', r.w1.id) },
    { type: 'iceAnswerCandidate', to: r.w1.id, candidate: candidateFor(r.w1.id) },
    { type: 'getBroadcast', to: r.w1.id },
  ]) {
    r.b.peer.send(message);
    t.match(await r.b.peer.next(), { type: 'error', code: 'forbidden' }, `broadcaster sends ${message.type}`);
  }
  r.b.peer.send({ type: 'iceOfferCandidate', to: r.w1.id, candidate: candidateFor(r.w1.id) });
  t.same(await r.w1.peer.next(), { type: 'iceOfferCandidate', from: r.b.id, candidate: candidateFor(r.w1.id) }, 'the watcher got only the valid candidate');
  await closeAll(r);
});

t.test('a watcher cannot address another watcher; a broadcaster cannot address itself', TEST_OPTIONS, async (t) => {
  const r = await liveRoom('peers');
  for (const message of [
    { type: 'getBroadcast', to: r.w2.id },
    { type: 'answer', to: r.w2.id, sdp: sdpFor('answer', r.w2.id) },
    { type: 'iceAnswerCandidate', to: r.w2.id, candidate: candidateFor(r.w2.id) },
  ]) {
    r.w1.peer.send(message);
    t.match(await r.w1.peer.next(), { type: 'error', code: 'peer_not_found' }, `watcher to watcher: ${message.type}`);
  }
  r.b.peer.send({ type: 'offer', to: r.b.id, sdp: sdpFor('offer', r.b.id) });
  t.match(await r.b.peer.next(), { type: 'error', code: 'peer_not_found' }, 'broadcaster to itself');

  r.b.peer.send({ type: 'offer', to: r.w2.id, sdp: sdpFor('offer', r.w2.id) });
  t.same(await r.w2.peer.next(), { type: 'offer', from: r.b.id, sdp: sdpFor('offer', r.w2.id) }, 'the other watcher got nothing from w1');
  r.w1.peer.send({ type: 'getBroadcast', to: r.b.id });
  t.same(await r.b.peer.next(), { type: 'getBroadcast', from: r.w1.id }, 'w1 carries on');
  await closeAll(r);
});

t.test('a forged `from` is refused, and `from` is always the sender', TEST_OPTIONS, async (t) => {
  const r = await liveRoom('forgery');
  r.w1.peer.send({ type: 'answer', to: r.b.id, from: r.w2.id, sdp: sdpFor('answer', r.w2.id) });
  t.match(await r.w1.peer.next(), { type: 'error', code: 'invalid_message' });
  r.b.peer.send({ type: 'offer', to: r.w1.id, from: r.w2.id, sdp: sdpFor('offer', r.w1.id) });
  t.match(await r.b.peer.next(), { type: 'error', code: 'invalid_message' });
  r.b.peer.send({ type: 'broadcastAvailable', from: r.w2.id });
  t.match(await r.b.peer.next(), { type: 'error', code: 'invalid_message' });

  r.w1.peer.send({ type: 'answer', to: r.b.id, sdp: sdpFor('answer', r.w1.id) });
  t.same(await r.b.peer.next(), { type: 'answer', from: r.w1.id, sdp: sdpFor('answer', r.w1.id) }, 'the broadcaster got only the honest answer');
  r.b.peer.send({ type: 'offer', to: r.w1.id, sdp: sdpFor('offer', r.w1.id) });
  t.same(await r.w1.peer.next(), { type: 'offer', from: r.b.id, sdp: sdpFor('offer', r.w1.id) }, 'the watcher got only the honest offer');
  await closeAll(r);
});
