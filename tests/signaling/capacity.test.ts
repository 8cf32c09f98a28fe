/**
 * `MAX_VIEWERS` over real sockets: the watcher past the cap gets `room_full` and close 1013; the broadcaster, the
 * watchers already in and other rooms are unaffected; a place freed by a leaving watcher can be taken again.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { TEST_OPTIONS, until, viewerCount } from './helpers.ts';

const server = await startServer({ MAX_VIEWERS: '2' });
t.teardown(() => server.close());

t.test('the third watcher of a room capped at two is refused with room_full, close 1013', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'capped', 'broadcaster');
  b.send({ type: 'broadcastAvailable' });
  const { peer: w1 } = await WsPeer.joined(server.wsUrl, 'capped', 'watcher');
  const { peer: w2, joined: w2j } = await WsPeer.joined(server.wsUrl, 'capped', 'watcher');

  const third = await WsPeer.connect(server.wsUrl);
  third.send({ type: 'join', room: 'capped', role: 'watcher' });
  t.match(await third.next(), { type: 'error', code: 'room_full', message: 'This room is full.' });
  t.same(await third.closed, { code: 1013, reason: 'room_full' });

  w2.send({ type: 'getBroadcast', to: bj.id });
  t.same(await until(b, 'getBroadcast'), { type: 'getBroadcast', from: w2j.id }, 'the broadcaster still serves the others');
  const { peer: elsewhere, joined: elsewhereJoined } = await WsPeer.joined(server.wsUrl, 'other-room', 'watcher');
  t.equal(elsewhereJoined.room, 'other-room', 'the cap is per room');

  await w1.close();
  await viewerCount(b, 1);
  const { peer: again, joined: againJoined } = await WsPeer.joined(server.wsUrl, 'capped', 'watcher');
  t.equal(againJoined.broadcaster, bj.id, 'a freed place can be taken');
  await Promise.all([b, w2, elsewhere, again].map((p) => p.close()));
});

t.test('watchers may wait in a capped room before its broadcaster; the broadcaster still joins a full room', TEST_OPTIONS, async (t) => {
  const early = await Promise.all([1, 2].map(() => WsPeer.joined(server.wsUrl, 'early', 'watcher')));
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'early', 'broadcaster');
  t.equal(bj.role, 'broadcaster');
  await viewerCount(b, 2);
  await Promise.all([b, ...early.map((e) => e.peer)].map((p) => p.close()));
});
