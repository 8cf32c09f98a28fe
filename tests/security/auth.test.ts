/**
 * Who may broadcast and watch, over real sockets: tokens (scope, expiry, signature), protected mode, private rooms,
 * one broadcaster per room under both takeover policies, and TURN credentials only for those let in.
 */
import t, { type Test } from 'tap';
import { signToken } from '../../server/auth/tokens.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { expectClose, TEST_OPTIONS, until } from '../signaling/helpers.ts';

const BROADCAST_SECRET = 'broadcast-secret-for-tests-0123456789';
const WATCH_SECRET = 'watch-secret-for-tests-0123456789abcd';

/** Join with `token` and expect `unauthorized`, close 1008. */
async function refused(t: Test, url: string, join: object, what: string): Promise<void> {
  const peer = await WsPeer.connect(url);
  peer.send({ type: 'join', ...join });
  await t.test(what, async (t) => {
    await expectClose(t, peer, 'unauthorized', 1008);
    t.notOk(peer.received.some((m) => m.type === 'joined'), 'no joined, so no ICE servers or TURN credentials');
  });
}

t.test('BROADCAST_SECRET: only a valid broadcaster token for the room may broadcast', TEST_OPTIONS, async (t) => {
  const server = await startServer({ BROADCAST_SECRET, TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 'turn-secret-0123456789' });
  t.teardown(() => server.close());
  const good = await signToken(BROADCAST_SECRET, { room: 'main', role: 'broadcaster' }, 3600);
  const join = (token?: string, room = 'main') => ({ room, role: 'broadcaster', ...(token ? { token } : {}) });
  await refused(t, server.wsUrl, join(), 'no token (even from loopback)');
  await refused(t, server.wsUrl, join('not-a-jwt'), 'garbage');
  await refused(t, server.wsUrl, join(await signToken(WATCH_SECRET, { room: 'main', role: 'watcher' }, 3600)), 'a watcher token');
  await refused(t, server.wsUrl, join(await signToken(BROADCAST_SECRET, { room: 'main', role: 'watcher' }, 3600)), 'right key, watcher role');
  await refused(t, server.wsUrl, join(good, 'other'), 'a token for another room');
  await refused(t, server.wsUrl, join(await signToken(BROADCAST_SECRET, { room: 'main', role: 'broadcaster' }, 60, Date.now() - 120_000)), 'expired');
  await refused(t, server.wsUrl, join(await signToken(`${BROADCAST_SECRET}-other`, { room: 'main', role: 'broadcaster' }, 3600)), 'bad signature');

  const b = await WsPeer.connect(server.wsUrl);
  b.send({ type: 'join', ...join(good) });
  const joined = await b.next('joined');
  t.equal(joined.role, 'broadcaster', 'a good token joins');
  const turn = joined.iceServers.find((s) => s.urls[0]!.startsWith('turn:'));
  const expiry = Number(turn?.username?.split(':')[0]);
  const now = Date.now() / 1000;
  t.ok(expiry > now && expiry <= now + 3600 + 1, 'TURN credentials minted after the join, valid 1 h');
  const w = await WsPeer.joined(server.wsUrl, 'main', 'watcher');
  t.equal(w.joined.role, 'watcher', 'watchers need no token without WATCH_SECRET');
  await Promise.all([b.close(), w.peer.close()]);
});

t.test('protected mode: a loopback client reached under a foreign Host name may not broadcast', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const rebound = await WsPeer.connect(server.wsUrl, { headers: { Host: 'rebound.evil.example:3000' } });
  rebound.send({ type: 'join', room: 'main', role: 'broadcaster' });
  await expectClose(t, rebound, 'unauthorized', 1008);
  const local = await WsPeer.joined(server.wsUrl, 'main', 'broadcaster');
  t.equal(local.joined.role, 'broadcaster', 'from loopback, as 127.0.0.1, broadcasting is allowed');
  await local.peer.close();
});

t.test('WATCH_SECRET: watchers need a watcher token for the room', TEST_OPTIONS, async (t) => {
  const server = await startServer({ WATCH_SECRET });
  t.teardown(() => server.close());
  await refused(t, server.wsUrl, { room: 'private', role: 'watcher' }, 'no token');
  await refused(t, server.wsUrl, { room: 'private', role: 'watcher', token: await signToken(WATCH_SECRET, { room: 'main', role: 'watcher' }, 60) }, 'another room');
  const w = await WsPeer.connect(server.wsUrl);
  w.send({ type: 'join', room: 'private', role: 'watcher', token: await signToken(WATCH_SECRET, { room: 'private', role: 'watcher' }, 60) });
  t.equal((await w.next('joined')).room, 'private');
  await w.close();
});

t.test('BROADCASTER_TAKEOVER=refuse (default): the second broadcaster is refused, a watcher never displaces one', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const first = await WsPeer.joined(server.wsUrl, 'one', 'broadcaster');
  const second = await WsPeer.connect(server.wsUrl);
  second.send({ type: 'join', room: 'one', role: 'broadcaster' });
  await expectClose(t, second, 'broadcaster_exists', 1008);
  const w = await WsPeer.joined(server.wsUrl, 'one', 'watcher');
  w.peer.send({ type: 'broadcastAvailable' });
  t.match(await w.peer.next(), { type: 'error', code: 'forbidden' });
  first.peer.send({ type: 'broadcastAvailable' });
  t.same(await until(w.peer, 'broadcastAvailable'), { type: 'broadcastAvailable', from: first.joined.id }, 'the first still broadcasts');
  await Promise.all([first.peer.close(), w.peer.close()]);
});

t.test('BROADCASTER_TAKEOVER=takeover: the new broadcaster takes the room cleanly', TEST_OPTIONS, async (t) => {
  const server = await startServer({ BROADCASTER_TAKEOVER: 'takeover' });
  t.teardown(() => server.close());
  const first = await WsPeer.joined(server.wsUrl, 'two', 'broadcaster');
  const w = await WsPeer.joined(server.wsUrl, 'two', 'watcher');
  first.peer.send({ type: 'broadcastAvailable' });
  await until(w.peer, 'broadcastAvailable');
  const second = await WsPeer.joined(server.wsUrl, 'two', 'broadcaster');
  await expectClose(t, first.peer, 'broadcaster_replaced', 1008);
  t.same(await until(w.peer, 'broadcastEnded'), { type: 'broadcastEnded', id: first.joined.id }, 'watchers hear the old one ended');
  second.peer.send({ type: 'broadcastAvailable' });
  t.same(await until(w.peer, 'broadcastAvailable', (m) => m.from === second.joined.id), { type: 'broadcastAvailable', from: second.joined.id });
  w.peer.send({ type: 'getBroadcast', to: second.joined.id });
  t.same(await until(second.peer, 'getBroadcast'), { type: 'getBroadcast', from: w.joined.id }, 'and watchers reach the new one');
  await Promise.all([second.peer.close(), w.peer.close()]);
});
