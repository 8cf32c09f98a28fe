/**
 * The escalation policy, with a stand-in for the Janus client (the real Janus is in tests/e2e/sfu-*.test.ts): a room
 * stays on the mesh up to MESH_MAX_VIEWERS, then escalates (publish from the SFU peer, Janus's answer, every watcher
 * offered by the SFU peer, Janus's session name hidden); SFU_ROUTES refuses a watcher's publish; a lost Janus sends
 * the room back to the mesh for up to MESH_MAX_VIEWERS watchers and the rest are told to wait, and the next session
 * escalates it again; leaving frees the Janus side.
 */
import { EventEmitter } from 'node:events';
import { mock } from 'node:test';
import t from 'tap';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Bus } from '../../server/bus/bus.ts';
import { EscalatingMediaPath } from '../../server/media/escalating.ts';
import type { RoomView } from '../../server/media/media-path.ts';
import type { JanusClient } from '../../server/sfu/janus-client.ts';

const B = 'Bbbbbbbbbbbbbbbbbbbbbb';
const WATCHERS = ['W1wwwwwwwwwwwwwwwwwwww', 'W2wwwwwwwwwwwwwwwwwwww', 'W3wwwwwwwwwwwwwwwwwwww'];
const JANUS_SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=VideoRoom secret-room-id\r\nt=0 0\r\n';

class FakePeer extends EventEmitter {
  left = false;
  started: string | null = null;
  constructor(readonly sdp: string) {
    super();
  }
  get answer() {
    return { type: 'answer', sdp: this.sdp };
  }
  get offer() {
    return { type: 'offer', sdp: this.sdp };
  }
  readonly feed = 'feed';
  whenUp = () => Promise.resolve();
  requestKeyframe = () => Promise.resolve();
  trickle = () => Promise.resolve();
  start = (answer: { sdp: string }) => {
    this.started = answer.sdp;
    return Promise.resolve();
  };
  leave = () => {
    this.left = true;
    this.emit('closed');
    return Promise.resolve();
  };
}

function fakeJanus() {
  const connection = Object.assign(new EventEmitter(), { state: 'up' });
  const made = { rooms: [] as string[], destroyed: [] as string[], publishers: [] as FakePeer[], subscribers: [] as FakePeer[] };
  const client = {
    connection,
    createRoom: () => Promise.resolve(`room${made.rooms.push('r')}`),
    destroyRoom: (room: string) => Promise.resolve(void made.destroyed.push(room)),
    publish: () => Promise.resolve(made.publishers[made.publishers.push(new FakePeer(JANUS_SDP)) - 1]),
    subscribe: () => Promise.resolve(made.subscribers[made.subscribers.push(new FakePeer(JANUS_SDP)) - 1]),
  };
  return { client: client as unknown as JanusClient, connection, made };
}

function setUp(meshMaxViewers: number) {
  const sent: [string, ServerMessage][] = [];
  const bus: Bus = {
    toPeer: (_room, id, message) => void sent.push([id, message]),
    toBroadcaster: (_room, message) => void sent.push([B, message]),
    toWatchers: () => {},
    toRoom: () => {},
  };
  const janus = fakeJanus();
  const watchers: string[] = [];
  const room: RoomView = {
    name: 'main',
    live: true,
    broadcasterId: B,
    hasWatcher: (id) => watchers.includes(id),
    watcherIds: () => watchers[Symbol.iterator](),
    get watcherCount() {
      return watchers.length;
    },
  };
  const log = { info() {}, warn() {} };
  const path = new EscalatingMediaPath({ bus, client: janus.client, meshMaxViewers, log });
  const join = (id: string) => {
    watchers.push(id);
    path.watcherJoined(room, id);
  };
  return { path, room, sent, janus, join, watchers };
}

/** Let the fake Janus's promises settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const to = (sent: [string, ServerMessage][], id: string, type: string) => sent.filter(([peer, m]) => peer === id && m.type === type).map(([, m]) => m);

t.test('up to MESH_MAX_VIEWERS on the mesh; one more escalates, and every watcher is offered by the SFU peer', async (t) => {
  const { path, room, sent, janus, join } = setUp(2);
  join(WATCHERS[0]!);
  join(WATCHERS[1]!);
  t.same(to(sent, B, 'getBroadcast').length, 2, 'the broadcaster is asked for two mesh connections');
  t.same(path.report('main', 2), { path: 'mesh', viewers: { mesh: 2, sfu: 0 } });
  join(WATCHERS[2]!);
  await settle();
  const [publish] = to(sent, B, 'publish') as { from: string }[];
  t.ok(publish, 'the broadcaster is asked to publish');
  const sfu = publish!.from;
  t.equal(path.signal(room, { id: B, role: 'broadcaster' }, { type: 'offer', to: sfu, sdp: 'v=0' }), null);
  await settle();
  await settle();
  const [answer] = to(sent, B, 'answer') as { from: string; sdp: string }[];
  t.match(answer, { from: sfu }, "Janus's answer, from the SFU peer");
  t.notMatch(answer!.sdp, /secret-room-id/, "without Janus's room id");
  for (const id of WATCHERS) {
    const [offer] = to(sent, id, 'offer') as { from: string; sdp: string }[];
    t.equal(offer?.from, sfu, `${id.slice(0, 2)} is offered by the SFU peer`);
    t.match(offer?.sdp, /\r\ns=-\r\n/, 'the session name hidden');
  }
  t.equal(janus.made.subscribers.length, 3, 'one subscription per watcher');
  t.same(path.report('main', 3), { path: 'sfu', viewers: { mesh: 2, sfu: 3 } });
  t.equal(path.signal(room, { id: WATCHERS[0]!, role: 'watcher' }, { type: 'hangup', to: B }), null, 'a migrated watcher hangs up its mesh connection');
  t.same(to(sent, B, 'hangup'), [{ type: 'hangup', from: WATCHERS[0] }], 'relayed to the broadcaster');
  t.same(path.report('main', 3).viewers, { mesh: 1, sfu: 3 });

  t.match(path.signal(room, { id: WATCHERS[1]!, role: 'watcher' }, { type: 'offer', to: sfu, sdp: 'v=0' }), { code: 'forbidden' }, 'a watcher cannot publish');
  t.equal(path.signal(room, { id: WATCHERS[1]!, role: 'watcher' }, { type: 'answer', to: sfu, sdp: 'answer' }), null);
  await settle();
  t.equal(janus.made.subscribers[1]!.started, 'answer', "the watcher's answer starts its subscription");

  path.watcherLeft(room, WATCHERS[2]!);
  t.ok(janus.made.subscribers[2]!.left, "a watcher that leaves frees its subscription");
  path.broadcasterLeft(room);
  await settle();
  t.ok(janus.made.publishers[0]!.left && janus.made.subscribers.every((s) => s.left), 'the broadcaster leaving frees everything');
  t.same(janus.made.destroyed, ['room1'], 'and destroys the Janus room');
});

t.test('a lost Janus: back to the mesh up to MESH_MAX_VIEWERS, the rest wait; escalated again when Janus is back', async (t) => {
  const { path, room, sent, janus, join } = setUp(1);
  join(WATCHERS[0]!);
  join(WATCHERS[1]!);
  join(WATCHERS[2]!);
  await settle();
  const sfu = (to(sent, B, 'publish')[0] as { from: string }).from;
  path.signal(room, { id: B, role: 'broadcaster' }, { type: 'offer', to: sfu, sdp: 'v=0' });
  await settle();
  await settle();
  path.signal(room, { id: WATCHERS[0]!, role: 'watcher' }, { type: 'hangup', to: B }); // W1 moved to the SFU
  sent.length = 0;
  janus.connection.state = 'down';
  janus.made.publishers[0]!.emit('closed'); // what a lost connection does to every peer of its generation
  t.same(to(sent, B, 'getBroadcast'), [{ type: 'getBroadcast', from: WATCHERS[0] }], 'the broadcaster is asked for one mesh connection');
  t.same(to(sent, WATCHERS[0]!, 'mediaPath'), [{ type: 'mediaPath', path: 'mesh' }]);
  for (const id of WATCHERS.slice(1)) t.same(to(sent, id, 'mediaPath'), [{ type: 'mediaPath', path: 'reconnecting' }], `${id.slice(0, 2)} is told to wait`);
  t.match(to(sent, B, 'mediaPath').at(-1), { path: 'mesh' }, 'the broadcaster is told the room is on the mesh');
  t.equal(path.signal(room, { id: WATCHERS[1]!, role: 'watcher' }, { type: 'hangup', to: sfu }), null, 'hanging up on the gone SFU peer is no error');

  sent.length = 0;
  janus.connection.state = 'up';
  janus.connection.emit('up', { generation: 2 });
  await settle();
  const [again] = to(sent, B, 'publish') as { from: string }[];
  t.ok(again && again.from !== sfu, 'the room escalates again, with a new SFU peer');
});

t.test("the broadcaster's adaptation stepping down escalates a mesh room of two or more watchers, not of one", async (t) => {
  const { path, room, sent, janus, join, watchers } = setUp(4);
  join(WATCHERS[0]!);
  path.qualityLimited(room, 'cpu');
  await settle();
  t.same(to(sent, B, 'publish'), [], 'one watcher: the SFU would not lighten the load, the room stays on the mesh');
  t.same(path.report('main', 1).path, 'mesh');
  join(WATCHERS[1]!);
  path.qualityLimited(room, 'framerate');
  await settle();
  t.equal(to(sent, B, 'publish').length, 1, 'two watchers: the broadcaster is asked to publish, under MESH_MAX_VIEWERS');
  t.equal(janus.made.rooms.length, 1);
  t.same(path.report('main', 2).path, 'sfu');
  path.qualityLimited(room, 'cpu');
  await settle();
  t.equal(janus.made.rooms.length, 1, 'already on the SFU: nothing more');

  const lost = setUp(4);
  lost.janus.connection.state = 'down';
  lost.join(WATCHERS[0]!);
  lost.join(WATCHERS[1]!);
  lost.path.qualityLimited(lost.room, 'cpu');
  await settle();
  t.same(to(lost.sent, B, 'publish'), [], 'no SFU up: the room stays on the mesh');
  t.equal(watchers.length, 2);
});

t.test('a room escalated for a WHIP publisher ends its SFU use after publisherSilenceMs without video; a page\'s never', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.teardown(() => mock.timers.reset());
  const publishing = async (setUpRoom: ReturnType<typeof setUp>) => {
    const [publish] = to(setUpRoom.sent, B, 'publish') as { from: string }[];
    setUpRoom.path.signal(setUpRoom.room, { id: B, role: 'broadcaster' }, { type: 'offer', to: publish!.from, sdp: 'v=0' });
    await settle();
    await settle();
    return setUpRoom.janus.made.publishers[0]!;
  };

  const whip = setUp(4);
  t.ok(whip.path.escalateNow(whip.room, { publisherSilenceMs: 10_000 }), 'on the SFU at once');
  await settle();
  const publisher = await publishing(whip);
  publisher.emit('video', false);
  mock.timers.tick(9_999);
  publisher.emit('video', true);
  mock.timers.tick(10_000);
  t.same(to(whip.sent, B, 'error'), [], 'video came back in time: the publication goes on');
  publisher.emit('video', false);
  mock.timers.tick(10_000);
  t.match(to(whip.sent, B, 'error'), [{ code: 'sfu_publisher_silent' }], '10 s without video: the publication ended, and the publisher is told');
  t.equal(whip.path.report('main', 0).path, 'mesh');

  const page = setUp(0);
  page.join(WATCHERS[0]!);
  await settle();
  const pagePublisher = await publishing(page);
  pagePublisher.emit('video', false);
  mock.timers.tick(60_000);
  t.same(to(page.sent, B, 'error'), [], "a page broadcaster's room stays on the SFU (it may send audio only)");
  t.equal(page.path.report('main', 1).path, 'sfu');
});
