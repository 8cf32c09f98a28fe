/**
 * Bad input over real sockets: every error of the catalogue a client can cause, the close code that follows when
 * the catalogue says so, and proof that the connection (or, after a close, everyone else) carries on.
 */
import t from 'tap';
import { MAX_PAYLOAD_BYTES } from '../../server/app.ts';
import { MAX_PROTOCOL_ERRORS } from '../../server/signaling/peer.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { expectClose, expectError, fullExchange, TEST_OPTIONS } from './helpers.ts';

const server = await startServer();
t.teardown(() => server.close());

t.test('bad JSON and unknown types are reported; the connection carries on', TEST_OPTIONS, async (t) => {
  const peer = await WsPeer.connect(server.wsUrl);
  peer.send('{"type":"join",');
  await expectError(t, peer, 'bad_json');
  peer.send({ type: 'hello' });
  await expectError(t, peer, 'unknown_type');
  peer.send([1, 2, 3]);
  await expectError(t, peer, 'invalid_message');
  peer.send({ type: 'join', role: 'watcher', room: 'carry-on' });
  t.match(await peer.next(), { type: 'joined', room: 'carry-on' }, 'can still join');
  peer.send('not json');
  await expectError(t, peer, 'bad_json');
  peer.send({ type: 'offer', to: 'AAAAAAAAAAAAAAAAAAAAAA', sdp: 'x'.repeat(40_000) });
  await expectError(t, peer, 'invalid_message');
  peer.send({ type: 'join', role: 'watcher', room: 'carry-on' });
  await expectError(t, peer, 'already_joined');
  // The error names what was wrong without echoing a huge input (WsPeer checks every server message's schema).
  peer.send({ type: 'getBroadcast', to: 'AAAAAAAAAAAAAAAAAAAAAA', ['k'.repeat(10_000)]: 1 });
  await expectError(t, peer, 'invalid_message');
  await peer.close();
});

t.test('a message before join: not_joined', TEST_OPTIONS, async (t) => {
  const peer = await WsPeer.connect(server.wsUrl);
  peer.send({ type: 'getBroadcast', to: 'AAAAAAAAAAAAAAAAAAAAAA' });
  await expectError(t, peer, 'not_joined');
  peer.send({ type: 'broadcastAvailable' });
  await expectError(t, peer, 'not_joined');
  peer.send({ type: 'join', role: 'broadcaster', room: 'late-join' });
  t.match(await peer.next(), { type: 'joined', role: 'broadcaster' });
  await peer.close();
});

t.test('a second join: already_joined, and the peer stays where it was', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'twice', 'broadcaster');
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'twice', 'watcher');
  w.send({ type: 'join', room: 'elsewhere', role: 'broadcaster' });
  await expectError(t, w, 'already_joined');
  w.send({ type: 'getBroadcast', to: bj.id });
  t.same(await b.next(), { type: 'getBroadcast', from: wj.id }, 'still a watcher of the same room');
  await Promise.all([b.close(), w.close()]);
});

t.test('an invalid join: invalid_join, then close 1008', TEST_OPTIONS, async (t) => {
  for (const join of [
    { type: 'join', room: 'no spaces', role: 'watcher' },
    { type: 'join', room: 'main', role: 'admin' },
    { type: 'join', room: 'main', role: 'watcher', from: 'AAAAAAAAAAAAAAAAAAAAAA' },
    { type: 'join', room: 'main', role: 'watcher', ['k'.repeat(10_000)]: 1 },
  ]) {
    const peer = await WsPeer.connect(server.wsUrl);
    peer.send(join);
    await expectClose(t, peer, 'invalid_join', 1008);
  }
});

t.test('a second broadcaster: broadcaster_exists, close 1008; the first is unaffected', TEST_OPTIONS, async (t) => {
  const { peer: first, joined: firstJoined } = await WsPeer.joined(server.wsUrl, 'one-only', 'broadcaster');
  first.send({ type: 'broadcastAvailable' });
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'one-only', 'watcher');
  if (wj.broadcaster === null) await w.next('broadcastAvailable');

  const second = await WsPeer.connect(server.wsUrl);
  second.send({ type: 'join', room: 'one-only', role: 'broadcaster' });
  await expectClose(t, second, 'broadcaster_exists', 1008);

  w.send({ type: 'getBroadcast', to: firstJoined.id });
  t.same(await first.next(), { type: 'getBroadcast', from: wj.id }, 'the first broadcaster still serves');
  first.send({ type: 'offer', to: wj.id, sdp: 'v=0\r\n' });
  t.same(await w.next(), { type: 'offer', from: firstJoined.id, sdp: 'v=0\r\n' }, 'and the watcher heard no broadcastEnded');
  const { joined: later } = await WsPeer.joined(server.wsUrl, 'one-only', 'watcher');
  t.equal(later.broadcaster, firstJoined.id, 'new watchers are still pointed at the first');
  await Promise.all([first.close(), w.close()]);
});

t.test('a binary frame: binary_frame, then close 1003', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'binary', 'broadcaster');
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'binary', 'watcher');
  w.send(Buffer.from(JSON.stringify({ type: 'getBroadcast', to: bj.id })));
  await expectClose(t, w, 'binary_frame', 1003);
  t.same(await b.next(), { type: 'watcherLeft', id: wj.id }, 'the room is told');
  await b.close();
});

t.test('frames over 64 KiB close the socket with 1009; other peers carry on', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'big', 'broadcaster');
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'big', 'watcher');
  const { peer: other, joined: otherJoined } = await WsPeer.joined(server.wsUrl, 'big', 'watcher');

  w.send(' '.repeat(MAX_PAYLOAD_BYTES));
  await expectError(t, w, 'bad_json');
  t.pass('a frame of exactly 64 KiB is read');
  w.send({ type: 'answer', to: bj.id, sdp: 'x'.repeat(MAX_PAYLOAD_BYTES) });
  t.equal((await w.closed).code, 1009, 'a larger frame closes with 1009');
  t.same(await b.next(), { type: 'watcherLeft', id: wj.id }, 'the oversized sender left the room');

  other.send({ type: 'getBroadcast', to: bj.id });
  t.same(await b.next(), { type: 'getBroadcast', from: otherJoined.id }, 'the rest of the room carries on');

  const stranger = await WsPeer.connect(server.wsUrl);
  stranger.send('x'.repeat(MAX_PAYLOAD_BYTES + 1));
  t.equal((await stranger.closed).code, 1009, 'before join too');
  await Promise.all([b.close(), other.close()]);
});

t.test(`more than ${MAX_PROTOCOL_ERRORS} errors: protocol_violation, close 1008`, TEST_OPTIONS, async (t) => {
  const { peer: b } = await WsPeer.joined(server.wsUrl, 'noisy', 'broadcaster');
  const peer = await WsPeer.connect(server.wsUrl);
  for (let i = 0; i < MAX_PROTOCOL_ERRORS; i++) peer.send('{');
  for (let i = 0; i < MAX_PROTOCOL_ERRORS; i++) await expectError(t, peer, 'bad_json');
  peer.send({ type: 'join', room: 'noisy', role: 'watcher' });
  const joined = await peer.next('joined');
  const types = peer.received.map((m) => m.type).slice(0, MAX_PROTOCOL_ERRORS + 1);
  t.same(types, [...Array<string>(MAX_PROTOCOL_ERRORS).fill('error'), 'joined'], `${MAX_PROTOCOL_ERRORS} errors are tolerated`);

  peer.send({ type: 'offer', to: 'AAAAAAAAAAAAAAAAAAAAAA', sdp: 'v=0' });
  await expectError(t, peer, 'forbidden');
  await expectClose(t, peer, 'protocol_violation', 1008);
  t.same(await b.next(), { type: 'watcherLeft', id: joined.id }, 'and it left the room');
  await b.close();
});

t.test('nothing a connection sends after the server decided to close it is acted on', TEST_OPTIONS, async (t) => {
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'closing', 'broadcaster');
  const attacker = await WsPeer.connect(server.wsUrl);
  // One burst: join, too many errors, then a valid message the server must no longer relay.
  attacker.send({ type: 'join', room: 'closing', role: 'watcher' });
  for (let i = 0; i <= MAX_PROTOCOL_ERRORS; i++) attacker.send('{');
  attacker.send({ type: 'getBroadcast', to: bj.id });
  const joined = await attacker.next('joined');
  t.equal((await attacker.closed).code, 1008);
  t.same(await b.next(), { type: 'watcherLeft', id: joined.id }, 'the broadcaster heard only that it left');

  // A refused broadcaster that tries again as a watcher in the same burst does not become a (ghost) watcher.
  const refused = await WsPeer.connect(server.wsUrl);
  refused.send({ type: 'join', room: 'closing', role: 'broadcaster' });
  refused.send({ type: 'join', room: 'closing', role: 'watcher' });
  await expectClose(t, refused, 'broadcaster_exists', 1008);
  t.equal(refused.received.length, 1, 'the refused peer got only its error');
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'closing', 'watcher');
  await w.close();
  t.same(await b.next(), { type: 'watcherLeft', id: wj.id }, 'the only watcher the broadcaster saw leave is the real one');
  await b.close();
});

t.test('join timeout: join_timeout, close 1008; a peer that joined in time stays', TEST_OPTIONS, async (t) => {
  const quick = await startServer({}, { joinTimeoutMs: 300 });
  t.teardown(() => quick.close());
  const { peer: joined } = await WsPeer.joined(quick.wsUrl, 'timed', 'watcher');
  // Connected after `joined` joined, so its timer fires after the joined peer's would have.
  const silent = await WsPeer.connect(quick.wsUrl);
  await expectClose(t, silent, 'join_timeout', 1008);
  joined.send({ type: 'join', room: 'timed', role: 'watcher' });
  await expectError(t, joined, 'already_joined');
  t.pass('the joined peer is still connected');
  await joined.close();
});

t.test('after all of that, the server still serves a whole exchange', TEST_OPTIONS, async (t) => {
  const { broadcaster, watchers } = await fullExchange(t, server.wsUrl, 'after-errors', 2);
  await Promise.all([broadcaster, ...watchers].map((p) => p.peer.close()));
});

t.test('shutting the server down closes every peer with 1001 (going away)', TEST_OPTIONS, async (t) => {
  const doomed = await startServer();
  const { peer: b } = await WsPeer.joined(doomed.wsUrl, 'bye', 'broadcaster');
  const { peer: w } = await WsPeer.joined(doomed.wsUrl, 'bye', 'watcher');
  const waiting = await WsPeer.connect(doomed.wsUrl);
  await doomed.close();
  for (const peer of [b, w, waiting]) t.equal((await peer.closed).code, 1001);
});
