/**
 * The cluster's media path: where the broadcaster is on this node, everything goes to the inner path; where it is on
 * another node, the watcher's joins, `getBroadcast`, `hangup`, messages to other peers (the SFU peer), layer reports
 * and leaves are forwarded there, while answers and candidates to the broadcaster are relayed directly; what is
 * forwarded is applied on the broadcaster's node, and a refusal there reaches the watcher as an error.
 */
import t from 'tap';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Bus } from '../../server/bus/bus.ts';
import { ClusterMediaPath, type MediaRouting } from '../../server/cluster/cluster-media.ts';
import type { MediaEvent } from '../../server/cluster/media-event.ts';
import type { MediaPath, RoomView } from '../../server/media/media-path.ts';

const room: RoomView = { name: 'r', live: true, broadcasterId: 'B', hasWatcher: () => true, watcherIds: () => ['W'][Symbol.iterator](), watcherCount: 1 };
const report = { type: 'layerReport', lossPct: 0, freezes: 0, freezeMs: 0, framesDropped: 0, jitterBufferMs: 0, bandwidthKbps: null, displayHeight: 360 } as never;

function setUp(broadcasterNode: string | null, owned: RoomView | null = null) {
  const calls: unknown[][] = [];
  const inner = new Proxy({} as MediaPath, {
    get: (_target, name) => (...args: unknown[]) => {
      calls.push([name, ...args.map((a) => (a === room ? 'room' : a))]);
      return name === 'signal' && (args[2] as { type: string }).type === 'offer' ? { code: 'forbidden', detail: 'no' } : name === 'report' ? { path: 'mesh', viewers: { mesh: 0, sfu: 0 } } : undefined;
    },
  });
  const forwarded: [string, string, MediaEvent][] = [];
  const routing: MediaRouting = { broadcasterNode: () => broadcasterNode, toNode: (node, r, event) => void forwarded.push([node, r, event]), ownedRoom: () => owned };
  const sent: [string, ServerMessage][] = [];
  const bus = { toPeer: (_r: string, id: string, m: ServerMessage) => void sent.push([id, m]) } as unknown as Bus;
  return { path: new ClusterMediaPath(inner, routing, bus), calls, forwarded, sent };
}

t.test('the broadcaster on this node: everything to the inner path', async (t) => {
  const { path, calls, forwarded } = setUp(null);
  path.watcherJoined(room, 'W');
  path.signal(room, { id: 'W', role: 'watcher' }, { type: 'getBroadcast', to: 'B' });
  path.layerReport(room, 'W', report);
  path.watcherLeft(room, 'W');
  t.same(calls.map((c) => c[0]), ['watcherJoined', 'signal', 'layerReport', 'watcherLeft']);
  t.same(forwarded, []);
});

t.test("the broadcaster on node N: the watcher's media events go there; answers and candidates to it go straight", async (t) => {
  const { path, calls, forwarded } = setUp('N');
  path.watcherJoined(room, 'W');
  t.equal(path.signal(room, { id: 'W', role: 'watcher' }, { type: 'getBroadcast', to: 'B' }), null);
  path.signal(room, { id: 'W', role: 'watcher' }, { type: 'hangup', to: 'B' });
  path.signal(room, { id: 'W', role: 'watcher' }, { type: 'answer', to: 'SFU', sdp: 'v=0' });
  path.layerReport(room, 'W', report);
  path.watcherLeft(room, 'W');
  t.same(forwarded.map(([node, r, e]) => [node, r, e.op, e.op === 'signal' ? e.m.type : '']), [
    ['N', 'r', 'joined', ''],
    ['N', 'r', 'signal', 'getBroadcast'],
    ['N', 'r', 'signal', 'hangup'],
    ['N', 'r', 'signal', 'answer'],
    ['N', 'r', 'layer', ''],
    ['N', 'r', 'left', ''],
  ]);
  path.signal(room, { id: 'W', role: 'watcher' }, { type: 'answer', to: 'B', sdp: 'v=0' });
  path.signal(room, { id: 'W', role: 'watcher' }, { type: 'iceAnswerCandidate', to: 'B', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } });
  t.same(calls.map((c) => c[0]), ['signal', 'signal'], 'an answer and a candidate to the broadcaster: relayed here, straight to it');
});

t.test("applied on the broadcaster's node; a refusal there is sent to the watcher; a room it no longer owns is dropped", async (t) => {
  const here = setUp(null, room);
  here.path.apply('r', { op: 'joined', w: 'W' });
  here.path.apply('r', { op: 'signal', w: 'W', m: { type: 'offer', to: 'SFU', sdp: 'v=0' } });
  here.path.apply('r', { op: 'layer', w: 'W', r: report });
  here.path.apply('r', { op: 'left', w: 'W' });
  t.same(here.calls.map((c) => c.slice(0, 3)), [
    ['watcherJoined', 'room', 'W'],
    ['signal', 'room', { id: 'W', role: 'watcher' }],
    ['layerReport', 'room', 'W'],
    ['watcherLeft', 'room', 'W'],
  ]);
  t.same(here.sent, [['W', { type: 'error', code: 'forbidden', message: 'no' }]], 'the refusal, to the watcher');
  const gone = setUp(null, null);
  gone.path.apply('r', { op: 'joined', w: 'W' });
  t.same(gone.calls, [], 'not the broadcaster here (it moved): dropped');
});
