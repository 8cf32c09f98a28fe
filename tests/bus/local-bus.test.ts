/**
 * The in-process bus delivers by room and peer id to the sockets this process holds, serializing a message for many
 * peers once, and skips peers and rooms that are not (or no longer) there.
 */
import t from 'tap';
import type { RoomMembers, Sink } from '../../server/bus/bus.ts';
import { LocalBus } from '../../server/bus/local-bus.ts';

class FakeSink implements Sink {
  readonly frames: string[] = [];
  constructor(readonly id: string) {}
  sendRaw(frame: string): void {
    this.frames.push(frame);
  }
}

function room(broadcaster: FakeSink | null, watchers: FakeSink[]): RoomMembers {
  const byId = new Map(watchers.map((w) => [w.id, w]));
  return { broadcasterSink: broadcaster, watcherSink: (id) => byId.get(id), watcherSinks: () => byId.values() };
}

const b = new FakeSink('broadcaster-1');
const w1 = new FakeSink('watcher-1');
const w2 = new FakeSink('watcher-2');
const other = new FakeSink('watcher-other');
const rooms = new Map([['main', room(b, [w1, w2])], ['other', room(null, [other])]]);
const bus = new LocalBus({ get: (name) => rooms.get(name) });
const reset = () => [b, w1, w2, other].forEach((s) => s.frames.splice(0));

t.beforeEach(reset);

t.test('toPeer reaches one watcher or the broadcaster of the room, by id', async (t) => {
  bus.toPeer('main', 'watcher-2', { type: 'viewerCount', count: 1 });
  bus.toPeer('main', 'broadcaster-1', { type: 'watcherLeft', id: 'watcher-1' });
  t.same(w2.frames.map((f) => JSON.parse(f)), [{ type: 'viewerCount', count: 1 }]);
  t.same(b.frames.map((f) => JSON.parse(f)), [{ type: 'watcherLeft', id: 'watcher-1' }]);
  t.same(w1.frames, []);
});

t.test('an id of another room, or a room that is gone, reaches nobody', async (t) => {
  bus.toPeer('main', 'watcher-other', { type: 'viewerCount', count: 1 });
  bus.toPeer('gone', 'watcher-1', { type: 'viewerCount', count: 1 });
  bus.toRoom('gone', { type: 'viewerCount', count: 1 });
  bus.toBroadcaster('other', { type: 'viewerCount', count: 1 });
  t.same([b, w1, w2, other].flatMap((s) => s.frames), []);
});

t.test('toWatchers, toBroadcaster and toRoom reach whom they say, with one serialized frame', async (t) => {
  bus.toWatchers('main', { type: 'broadcastEnded', id: 'broadcaster-1' });
  t.same(b.frames, []);
  t.equal(w1.frames.length, 1);
  t.equal(w1.frames[0], w2.frames[0]);
  reset();
  bus.toBroadcaster('main', { type: 'getBroadcast', from: 'watcher-1' });
  t.same([b.frames.length, w1.frames.length, w2.frames.length], [1, 0, 0]);
  reset();
  bus.toRoom('main', { type: 'chatSettings', enabled: false });
  t.same([b.frames.length, w1.frames.length, w2.frames.length, other.frames.length], [1, 1, 1, 0]);
  t.same(JSON.parse(b.frames[0]!), { type: 'chatSettings', enabled: false });
});
