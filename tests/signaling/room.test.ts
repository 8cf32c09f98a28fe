/**
 * A room changes only through its methods, each named for what happens, and `ops/` reads frozen snapshots.
 */
import t from 'tap';
import type { Peer } from '../../server/signaling/peer.ts';
import { Room } from '../../server/signaling/room.ts';
import { summarize } from '../../server/signaling/delivered.ts';

const peer = (id: string) => ({ id }) as Peer;

t.test('a broadcaster joins not live, goes live, and leaving ends the broadcast and its delivery report', async (t) => {
  const room = new Room('main');
  const b = peer('b');
  room.admit(b, 'broadcaster');
  t.equal(room.live, false);
  t.equal(room.liveBroadcasterId, null, 'joined.broadcaster stays null until live');
  room.goLive();
  room.recordDelivery(summarize([{ id: 'w1w1w1w1', state: 'connected', candidateType: 'host', rttMs: 1, bitrateKbps: 900, fps: 30 }], 1));
  t.match(room.snapshot(), { live: true, hasBroadcaster: true, delivered: { connected: 1, bitrateKbps: 900 } });
  t.same(room.remove(b), { role: 'broadcaster', wasLive: true });
  t.match(room.snapshot(), { live: false, hasBroadcaster: false, delivered: null });
  t.ok(room.empty);
});

t.test('watchers come and go; a peer not in the room removes nothing', async (t) => {
  const room = new Room('main');
  room.admit(peer('w1'), 'watcher');
  room.admit(peer('w2'), 'watcher');
  t.equal(room.watcherCount, 2);
  t.ok(room.hasWatcher('w1'));
  t.same(room.remove(peer('w1')), { role: 'watcher' });
  t.equal(room.remove(peer('nobody')), null);
  t.equal(room.snapshot().watchers, 1);
});

t.test('chat settings and history change through the room; a snapshot is a frozen copy', async (t) => {
  const room = new Room('main');
  const before = room.snapshot();
  room.setChat(false);
  room.addChat({ type: 'chat', from: 'Hx2m-LZ0c_9pQeRt7uVw1A', role: 'watcher', name: 'Ada', text: 'hi', at: 0 });
  t.equal(before.chatEnabled, true, 'the earlier snapshot did not change');
  t.ok(Object.isFrozen(before));
  t.equal(room.chatEnabled, false);
  t.same(room.chatHistory().map((m) => m.text), ['hi']);
});
