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
import { JanusInstance, JanusPool } from '../../server/sfu/janus-pool.ts';

const B = 'Bbbbbbbbbbbbbbbbbbbbbb';
const WATCHERS = ['W1wwwwwwwwwwwwwwwwwwww', 'W2wwwwwwwwwwwwwwwwwwww', 'W3wwwwwwwwwwwwwwwwwwww'];
const JANUS_SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=VideoRoom secret-room-id\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n';

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

/** A stand-in for one Janus instance's client; `made` records what was asked of it. */
function fakeJanus(name = 'janus-1') {
  const connection = Object.assign(new EventEmitter(), { state: 'up' });
  const made = {
    rooms: [] as string[],
    destroyed: [] as string[],
    publishers: [] as FakePeer[],
    subscribers: [] as (FakePeer & { room: string; feed: string })[],
    remotes: [] as { room: string; feed: string; removed: boolean }[],
    forwards: [] as { feed: string; host: string; port: number; remoteId: string; stopped: boolean }[],
  };
  const client = {
    connection,
    createRoom: () => Promise.resolve(`${name}-room${made.rooms.push('r')}`),
    destroyRoom: (room: string) => Promise.resolve(void made.destroyed.push(room)),
    publish: () => Promise.resolve(made.publishers[made.publishers.push(new FakePeer(JANUS_SDP)) - 1]),
    subscribe: (room: string, feed: string) =>
      Promise.resolve(made.subscribers[made.subscribers.push(Object.assign(new FakePeer(JANUS_SDP), { room, feed })) - 1]),
    addRemotePublisher: (room: string) => {
      const feed = `remote${made.remotes.push({ room, feed: '', removed: false })}`;
      made.remotes.at(-1)!.feed = feed;
      return Promise.resolve({ feed, port: 20_000 + made.remotes.length, rtcpPort: 30_000 });
    },
    removeRemotePublisher: (_room: string, feed: string) => Promise.resolve(void (made.remotes.find((r) => r.feed === feed)!.removed = true)),
    publishRemotely: (_room: string, feed: string, target: { host: string; port: number }) => {
      const remoteId = `fwd${made.forwards.length + 1}`;
      made.forwards.push({ feed, host: target.host, port: target.port, remoteId, stopped: false });
      return Promise.resolve(remoteId);
    },
    unpublishRemotely: (_room: string, _feed: string, remoteId: string) =>
      Promise.resolve(void (made.forwards.find((f) => f.remoteId === remoteId)!.stopped = true)),
  };
  const instance = new JanusInstance(name, client as unknown as JanusClient, `10.0.0.${name.slice(-1)}`);
  /** What a lost connection does: the state, `down`, and every peer of its generation closed. */
  const lose = () => {
    connection.state = 'down';
    connection.emit('down', { generation: 1, reason: 'test' });
    for (const peer of [...made.publishers, ...made.subscribers]) if (!peer.left) peer.emit('closed');
  };
  return { client: client as unknown as JanusClient, connection, made, instance, lose };
}

function setUp(meshMaxViewers: number, o: { instances?: number; instanceMaxViewers?: number } = {}) {
  const sent: [string, ServerMessage][] = [];
  const bus: Bus = {
    toPeer: (_room, id, message) => void sent.push([id, message]),
    toBroadcaster: (_room, message) => void sent.push([B, message]),
    toWatchers: () => {},
    toRoom: () => {},
  };
  const instances = Array.from({ length: o.instances ?? 1 }, (_, i) => fakeJanus(`janus-${i + 1}`));
  const janus = instances[0]!;
  const pool = new JanusPool(instances.map((i) => i.instance));
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
  const path = new EscalatingMediaPath({ bus, pool, meshMaxViewers, instanceMaxViewers: o.instanceMaxViewers ?? 0, log });
  const join = (id: string) => {
    watchers.push(id);
    path.watcherJoined(room, id);
  };
  return { path, room, sent, janus, instances, pool, join, watchers };
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
  t.same(janus.made.destroyed, ['janus-1-room1'], 'and destroys the Janus room');
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

/** Escalate the test room (watchers past MESH_MAX_VIEWERS 0) and let the broadcaster publish. @returns the SFU peer id */
async function escalated(setUpRoom: ReturnType<typeof setUp>, watchers: string[]): Promise<string> {
  for (const id of watchers) setUpRoom.join(id);
  await settle();
  const sfu = (to(setUpRoom.sent, B, 'publish').at(-1) as { from: string }).from;
  setUpRoom.path.signal(setUpRoom.room, { id: B, role: 'broadcaster' }, { type: 'offer', to: sfu, sdp: 'v=0' });
  for (let i = 0; i < 6; i++) await settle();
  return sfu;
}

t.test('several Janus instances: a room goes to the least loaded; when its instance is lost it moves to a live one at once', async (t) => {
  const s = setUp(0, { instances: 2 });
  s.instances[0]!.instance.countViewer(1); // another room of this node holds a viewer on janus-1
  const sfu = await escalated(s, [WATCHERS[0]!, WATCHERS[1]!]);
  t.equal(s.instances[0]!.made.rooms.length, 0, 'not on the busier janus-1');
  t.equal(s.instances[1]!.made.subscribers.length, 2, 'both watchers subscribe on janus-2');
  t.equal(s.instances[1]!.instance.viewers, 2, 'counted there');

  s.sent.length = 0;
  s.instances[1]!.lose();
  await settle();
  const [publish] = to(s.sent, B, 'publish') as { from: string }[];
  t.ok(publish && publish.from !== sfu, 'the broadcaster is asked to publish again, to a new SFU peer');
  t.same(to(s.sent, B, 'getBroadcast'), [], 'no watcher is sent back to the mesh');
  for (const id of WATCHERS.slice(0, 2)) t.same(to(s.sent, id, 'mediaPath'), [], `${id.slice(0, 2)} is not told to wait`);
  s.path.signal(s.room, { id: B, role: 'broadcaster' }, { type: 'offer', to: publish!.from, sdp: 'v=0' });
  for (let i = 0; i < 6; i++) await settle();
  t.equal(s.instances[0]!.made.subscribers.length, 2, 'both watchers subscribe on janus-1');
  for (const id of WATCHERS.slice(0, 2)) t.equal((to(s.sent, id, 'offer')[0] as { from: string } | undefined)?.from, publish!.from, `${id.slice(0, 2)} is offered by the new SFU peer`);
  t.equal(s.instances[1]!.instance.viewers, 0, 'nothing counted on the lost instance');
  t.equal(s.path.report('main', 2).path, 'sfu');

  s.sent.length = 0;
  s.instances[0]!.lose();
  await settle();
  t.same(to(s.sent, B, 'publish'), [], 'no instance left: no new publication');
  t.match(to(s.sent, B, 'mediaPath').at(-1), { path: 'mesh' }, 'the room falls back to the mesh');
});

t.test('JANUS_MAX_VIEWERS: past it, watchers go to a cascade on another instance; a lost cascade moves them back; closing undoes it', async (t) => {
  const s = setUp(0, { instances: 2, instanceMaxViewers: 2 });
  await escalated(s, WATCHERS);
  const [a, b] = s.instances as [ReturnType<typeof fakeJanus>, ReturnType<typeof fakeJanus>];
  t.equal(a.made.subscribers.length, 2, 'two watchers on the origin, janus-1');
  t.same(b.made.remotes.map((r) => r.room), ['janus-2-room1'], 'a remote publisher in a room on janus-2');
  t.match(a.made.forwards, [{ feed: 'feed', host: '10.0.0.2', port: 20_001 }], 'janus-1 forwards the publication to its port, at its RTP host');
  t.match(b.made.subscribers, [{ room: 'janus-2-room1', feed: 'remote1' }], 'the third watcher subscribes to the remote publisher');
  t.equal(b.instance.viewers, 1);
  const sfuPeer = (to(s.sent, WATCHERS[2]!, 'offer')[0] as { from: string }).from;
  t.equal(sfuPeer, (to(s.sent, WATCHERS[0]!, 'offer')[0] as { from: string }).from, 'to the pages, still the one SFU peer');

  s.sent.length = 0;
  b.lose();
  for (let i = 0; i < 4; i++) await settle();
  t.equal(a.made.subscribers.length, 3, 'the cascade lost: its watcher subscribes on the origin (over the cap: nowhere else)');
  t.equal(to(s.sent, WATCHERS[2]!, 'offer').length, 1, 'and gets a new offer');
  t.ok(a.made.forwards[0]!.stopped, 'the forwarding to the lost instance stops');
  t.same(to(s.sent, B, 'publish'), [], 'the room itself stays where it is');

  s.path.broadcasterLeft(s.room);
  await settle();
  t.ok(a.made.subscribers.every((sub) => sub.left), 'every subscription left');
  t.equal(a.instance.viewers + a.instance.rooms, 0, 'nothing left counted on janus-1');
});

t.test('a cascade closed with its room: forwarding stopped, remote publisher removed, room destroyed', async (t) => {
  const s = setUp(0, { instances: 2, instanceMaxViewers: 1 });
  await escalated(s, WATCHERS.slice(0, 2));
  const [a, b] = s.instances as [ReturnType<typeof fakeJanus>, ReturnType<typeof fakeJanus>];
  t.equal(b.made.subscribers.length, 1, 'the second watcher on the cascade');
  s.path.watcherLeft(s.room, WATCHERS[1]!);
  t.equal(b.instance.viewers, 0, 'a watcher that leaves is uncounted');
  s.path.broadcasterLeft(s.room);
  for (let i = 0; i < 4; i++) await settle();
  t.ok(a.made.forwards[0]!.stopped, 'unpublished remotely');
  t.ok(b.made.remotes[0]!.removed, 'the remote publisher removed');
  t.same(b.made.destroyed, ['janus-2-room1'], "the cascade's room destroyed");
  t.equal(b.instance.rooms, 0);
});

t.test('Janus hangs up a watcher\'s connection (a page gone without leaving): its subscription is freed', async (t) => {
  const s = setUp(0);
  await escalated(s, WATCHERS.slice(0, 2));
  t.same(s.path.report('main', 2).viewers, { mesh: 0, sfu: 2 });
  const [first] = s.janus.made.subscribers;
  first!.emit('hangup', 'DTLS alert');
  t.ok(first!.left, 'its handle left');
  t.same(s.path.report('main', 2).viewers, { mesh: 0, sfu: 1 }, 'no longer counted on the SFU');
  t.equal(s.janus.instance.viewers, 1, 'nor on its instance');
  s.path.signal(s.room, { id: WATCHERS[0]!, role: 'watcher' }, { type: 'getBroadcast', to: B });
  for (let i = 0; i < 4; i++) await settle();
  t.equal(s.janus.made.subscribers.length, 3, 'a page still there that asks again gets a new subscription');
});
