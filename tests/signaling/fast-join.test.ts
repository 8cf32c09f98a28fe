/**
 * The fast join over real sockets: a watcher's `join` with `getBroadcast: true` into a live room reaches the
 * broadcaster as exactly one `getBroadcast`, right after the watcher's `joined`; before the broadcast, or without
 * the flag, nothing is sent on the watcher's behalf.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { TEST_OPTIONS, typesOf, until } from './helpers.ts';

const server = await startServer();
t.teardown(() => server.close());

/** Join `room` as a watcher asking for the fast join. */
async function fastJoin(room: string) {
  const peer = await WsPeer.connect(server.wsUrl);
  peer.send({ type: 'join', room, role: 'watcher', getBroadcast: true });
  return { peer, joined: await peer.next('joined') };
}

t.test('join with getBroadcast into a live room: one getBroadcast to the broadcaster, then the usual exchange', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'fast', 'broadcaster');
  b.send({ type: 'broadcastAvailable' });
  const { peer: w, joined: wj } = await fastJoin('fast');
  t.equal(wj.broadcaster, bj.id, 'joined names the live broadcaster');
  t.same(await until(b, 'getBroadcast'), { type: 'getBroadcast', from: wj.id }, 'the broadcaster is asked on the watcher\'s behalf');

  b.send({ type: 'offer', to: wj.id, sdp: 'v=0\r\n' });
  t.same(await w.next('offer'), { type: 'offer', from: bj.id, sdp: 'v=0\r\n' });
  w.send({ type: 'answer', to: bj.id, sdp: 'v=0\r\n' });
  await until(b, 'answer');
  t.same(typesOf(b).filter((type) => type === 'getBroadcast'), ['getBroadcast'], 'exactly one getBroadcast');

  w.send({ type: 'getBroadcast', to: bj.id });
  await until(b, 'getBroadcast', () => true, b.received.findIndex((m) => m.type === 'answer'));
  t.pass('an explicit getBroadcast later still reaches the broadcaster (renegotiation)');
  await Promise.all([b.close(), w.close()]);
});

t.test('join with getBroadcast before the broadcast: nothing is sent for it; broadcastAvailable as usual', TEST_OPTIONS, async (t) => {
  const { peer: w, joined: wj } = await fastJoin('not-yet');
  t.equal(wj.broadcaster, null);
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'not-yet', 'broadcaster');
  b.send({ type: 'broadcastAvailable' });
  t.same(await w.next(), { type: 'broadcastAvailable', from: bj.id });
  w.send({ type: 'getBroadcast', to: bj.id });
  t.same(await until(b, 'getBroadcast'), { type: 'getBroadcast', from: wj.id });
  t.same(typesOf(b), ['joined', 'getBroadcast'], 'only the watcher\'s own getBroadcast');
  await Promise.all([b.close(), w.close()]);
});

t.test('a plain join into a live room sends nothing on the watcher\'s behalf', TEST_OPTIONS, async (t) => {
  const { peer: b } = await WsPeer.joined(server.wsUrl, 'plain', 'broadcaster');
  b.send({ type: 'broadcastAvailable' });
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'plain', 'watcher');
  t.ok(wj.broadcaster);
  // A round trip on the broadcaster's own socket, after the watcher's join: anything sent for that join comes first.
  b.send({ type: 'answer', to: wj.id, sdp: 'v=0\r\n' });
  t.match(await b.next('error'), { code: 'forbidden' });
  t.same(typesOf(b), ['joined', 'error'], 'the broadcaster heard nothing for the join');
  await Promise.all([b.close(), w.close()]);
});

t.test('a broadcaster\'s getBroadcast flag is ignored', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.connect(server.wsUrl);
  b.send({ type: 'join', room: 'flagged', role: 'broadcaster', getBroadcast: true });
  t.match(await b.next('joined'), { role: 'broadcaster' });
  await b.close();
});
