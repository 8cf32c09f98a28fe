import t from 'tap';
import { RoomMirror } from '../../server/cluster/room-mirror.ts';

const SELF = 'node-self';

t.test('events set the remote members; this node\'s own are ignored', async (t) => {
  const m = new RoomMirror(SELF);
  m.apply({ k: 'member', n: 'b', id: 'w1', v: 'watcher' });
  m.apply({ k: 'member', n: SELF, id: 'mine', v: 'watcher' });
  m.apply({ k: 'member', n: 'a', id: 'bc', v: 'broadcaster' });
  t.same([m.watcherCount, m.nodeOf('w1'), m.hasWatcher('mine')], [1, 'b', false]);
  t.same(m.broadcaster, { id: 'bc', node: 'a', live: false });
  m.apply({ k: 'member', n: 'a', id: 'bc', v: 'broadcaster live' });
  t.equal(m.broadcaster?.live, true);
  m.apply({ k: 'left', n: 'a', id: 'bc' });
  t.equal(m.broadcaster, null);
});

t.test('a "left" from a node the peer moved away from does not remove it', async (t) => {
  const m = new RoomMirror(SELF);
  m.apply({ k: 'member', n: 'b', id: 'w', v: 'watcher' });
  m.apply({ k: 'member', n: 'c', id: 'w', v: 'watcher' });
  m.apply({ k: 'left', n: 'b', id: 'w' });
  t.equal(m.nodeOf('w'), 'c');
  m.apply({ k: 'left', n: 'c', id: 'w' });
  t.equal(m.hasWatcher('w'), false);
});

t.test('a read replaces what was known, then the events heard meanwhile are replayed on top', async (t) => {
  const m = new RoomMirror(SELF);
  m.apply({ k: 'member', n: 'dead', id: 'ghost', v: 'watcher' });
  m.beginRead();
  m.apply({ k: 'member', n: 'b', id: 'late', v: 'watcher' });
  m.apply({ k: 'left', n: 'b', id: 'early' });
  t.equal(m.hasWatcher('late'), false, 'held while the read is pending');
  m.endRead([
    { room: 'r', node: 'b', id: 'early', value: 'watcher' },
    { room: 'r', node: SELF, id: 'mine', value: 'watcher' },
  ]);
  t.same([m.hasWatcher('ghost'), m.hasWatcher('early'), m.hasWatcher('late'), m.hasWatcher('mine')], [false, false, true, false]);
});

t.test('right after Redis came back a read only adds; a failed read keeps what was known', async (t) => {
  const m = new RoomMirror(SELF);
  m.apply({ k: 'member', n: 'b', id: 'w1', v: 'watcher' });
  m.beginRead();
  m.endRead([{ room: 'r', node: 'c', id: 'w2', value: 'watcher' }], false);
  t.same([m.hasWatcher('w1'), m.hasWatcher('w2')], [true, true]);
  m.beginRead();
  m.apply({ k: 'member', n: 'c', id: 'w3', v: 'watcher' });
  m.endRead(null);
  t.same([m.watcherCount, m.hasWatcher('w3')], [3, true]);
});
