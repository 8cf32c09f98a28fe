/**
 * The mesh media path: media signalling goes to the one peer of the room it names, if the sender's role may address
 * it, with `from` stamped by the server and `to` dropped; the fast join asks a live broadcaster only; a watcher that
 * leaves is announced to the broadcaster.
 */
import t from 'tap';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Bus } from '../../server/bus/bus.ts';
import type { RoomView } from '../../server/media/media-path.ts';
import { MeshMediaPath } from '../../server/media/mesh.ts';

const B = 'Bbbbbbbbbbbbbbbbbbbbbb';
const W = 'Wwwwwwwwwwwwwwwwwwwwww';
const STRANGER = 'Sssssssssssssssssssssss';
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host', sdpMid: '0' };

function recordingBus(): { bus: Bus; sent: [string, ...unknown[]][] } {
  const sent: [string, ...unknown[]][] = [];
  const bus: Bus = {
    toPeer: (room, id, message: ServerMessage) => void sent.push(['peer', room, id, message]),
    toBroadcaster: (room, message) => void sent.push(['broadcaster', room, message]),
    toWatchers: (room, message) => void sent.push(['watchers', room, message]),
    toRoom: (room, message) => void sent.push(['room', room, message]),
  };
  return { bus, sent };
}

const room = (live: boolean): RoomView => ({
  name: 'main',
  live,
  broadcasterId: B,
  hasWatcher: (id) => id === W,
  watcherIds: () => [W][Symbol.iterator](),
  watcherCount: 1,
});

t.test('offer, answer and trickled candidates reach the named peer, from stamped, to dropped', async (t) => {
  const { bus, sent } = recordingBus();
  const mesh = new MeshMediaPath(bus);
  t.equal(mesh.signal(room(true), { id: B, role: 'broadcaster' }, { type: 'offer', to: W, sdp: 'v=0' }), null);
  t.equal(mesh.signal(room(true), { id: W, role: 'watcher' }, { type: 'answer', to: B, sdp: 'v=0' }), null);
  t.equal(mesh.signal(room(true), { id: W, role: 'watcher' }, { type: 'iceAnswerCandidate', to: B, candidate: CANDIDATE }), null);
  t.equal(mesh.signal(room(true), { id: W, role: 'watcher' }, { type: 'getBroadcast', to: B }), null);
  t.equal(mesh.signal(room(true), { id: W, role: 'watcher' }, { type: 'hangup', to: B }), null);
  t.same(sent, [
    ['peer', 'main', W, { type: 'offer', from: B, sdp: 'v=0' }],
    ['peer', 'main', B, { type: 'answer', from: W, sdp: 'v=0' }],
    ['peer', 'main', B, { type: 'iceAnswerCandidate', from: W, candidate: CANDIDATE }],
    ['peer', 'main', B, { type: 'getBroadcast', from: W }],
    ['peer', 'main', B, { type: 'hangup', from: W }],
  ]);
});

t.test('a peer that is not in the room, or not of the role the route allows, is refused with peer_not_found', async (t) => {
  const { bus, sent } = recordingBus();
  const mesh = new MeshMediaPath(bus);
  t.match(mesh.signal(room(true), { id: B, role: 'broadcaster' }, { type: 'offer', to: STRANGER, sdp: 'v=0' }), { code: 'peer_not_found' });
  t.match(mesh.signal(room(true), { id: W, role: 'watcher' }, { type: 'answer', to: W, sdp: 'v=0' }), { code: 'peer_not_found', detail: /no broadcaster/ });
  t.same(sent, [], 'nothing delivered');
});

t.test('the fast join asks a live broadcaster for an offer, and nobody when the room is not live', async (t) => {
  const { bus, sent } = recordingBus();
  const mesh = new MeshMediaPath(bus);
  mesh.watcherJoined(room(false), W);
  t.same(sent, []);
  mesh.watcherJoined(room(true), W);
  t.same(sent, [['broadcaster', 'main', { type: 'getBroadcast', from: W }]]);
});

t.test('a watcher that leaves is announced to the broadcaster', async (t) => {
  const { bus, sent } = recordingBus();
  new MeshMediaPath(bus).watcherLeft(room(true), W);
  t.same(sent, [['broadcaster', 'main', { type: 'watcherLeft', id: W }]]);
});

t.test('every watcher is on the mesh; a broadcaster leaving frees nothing', async (t) => {
  const { bus, sent } = recordingBus();
  const mesh = new MeshMediaPath(bus);
  t.same(mesh.report('main', 3), { path: 'mesh', viewers: { mesh: 3, sfu: 0 } });
  mesh.broadcasterLeft();
  t.same(sent, []);
});
