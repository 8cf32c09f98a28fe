/**
 * The hostile-client suite over real sockets: each attack closes (or refuses) only the attacker, with the close code
 * RFC 6455 or our catalogue gives, the process never throws, and a broadcaster and watcher joined before the attack
 * still relay afterwards.
 */
import t, { type Test } from 'tap';
import { MAX_FRAGMENTS, MAX_PAYLOAD_BYTES } from '../../server/app.ts';
import { clientFrame, RawSocket } from '../helpers/raw-socket.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { candidateFor, expectClose, expectError, sdpFor, TEST_OPTIONS, until } from '../signaling/helpers.ts';

const HEARTBEAT_MS = 300;
const server = await startServer({ MAX_CONNECTIONS_PER_IP: '1000' }, { joinTimeoutMs: 500, heartbeatIntervalMs: HEARTBEAT_MS });
t.teardown(() => server.close());

// A pair that must keep working whatever the attackers do.
const bystanders = {
  broadcaster: await WsPeer.joined(server.wsUrl, 'bystanders', 'broadcaster'),
  watcher: await WsPeer.joined(server.wsUrl, 'bystanders', 'watcher'),
};
let round = 0;

/** The bystanders still relay: an offer from the broadcaster reaches the watcher. */
async function othersCarryOn(t: Test): Promise<void> {
  const sdp = sdpFor('offer', `round${++round}`);
  bystanders.broadcaster.peer.send({ type: 'offer', to: bystanders.watcher.joined.id, sdp });
  await until(bystanders.watcher.peer, 'offer', (m) => m.sdp === sdp);
  t.pass('other clients carry on');
}

t.test('a frame over 64 KiB closes only that socket with 1009', TEST_OPTIONS, async (t) => {
  const peer = await WsPeer.connect(server.wsUrl);
  peer.send('x'.repeat(MAX_PAYLOAD_BYTES + 1));
  t.equal((await peer.closed).code, 1009);
  await othersCarryOn(t);
});

t.test('RSV bits set (no extension negotiated): close 1002', TEST_OPTIONS, async (t) => {
  const { raw, status } = await RawSocket.handshake(server.wsUrl);
  t.equal(status, 101);
  raw.write(clientFrame('{"type":"join","role":"watcher"}', { rsv: 0b100 }));
  t.equal(await raw.ended, 1002);
  await othersCarryOn(t);
});

t.test('a text frame that is not UTF-8: close 1007', TEST_OPTIONS, async (t) => {
  const { raw } = await RawSocket.handshake(server.wsUrl);
  raw.write(clientFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
  t.equal(await raw.ended, 1007);
  await othersCarryOn(t);
});

t.test('a binary frame: binary_frame, close 1003', TEST_OPTIONS, async (t) => {
  const peer = await WsPeer.connect(server.wsUrl);
  peer.send(Buffer.from('{"type":"join","role":"watcher"}'));
  await expectClose(t, peer, 'binary_frame', 1003);
  await othersCarryOn(t);
});

t.test(`a fragment flood: more than ${MAX_FRAGMENTS} fragments in one message closes with 1008`, TEST_OPTIONS, async (t) => {
  const { raw } = await RawSocket.handshake(server.wsUrl);
  raw.write(clientFrame('{"type":"join","role":"watcher","room":"fragments"}'));
  t.equal((await raw.firstMessage()).type, 'joined', 'joined first, so no join timeout can close it');
  raw.write(clientFrame('{', { fin: false }));
  for (let i = 0; i < MAX_FRAGMENTS + 10 && !raw.socket.destroyed; i++) raw.write(clientFrame(' ', { fin: false, opcode: 0x0 }));
  t.equal(await raw.ended, 1008);
  await othersCarryOn(t);
});

t.test('permessage-deflate is declined', TEST_OPTIONS, async (t) => {
  const { raw, status } = await RawSocket.handshake(server.wsUrl, ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits']);
  t.equal(status, 101);
  t.notMatch(raw.response, /sec-websocket-extensions/i, 'no extension in the answer');
  raw.socket.destroy();
});

t.test('2,000 request headers on the upgrade are refused before any WebSocket', TEST_OPTIONS, async (t) => {
  const headers = Array.from({ length: 2000 }, (_, i) => `X-Pad-${i}: ${'v'.repeat(8)}`);
  const raw = RawSocket.open(server.wsUrl, headers);
  await raw.ended;
  t.notMatch(raw.response, /^HTTP\/1\.1 101/, 'no upgrade');
  t.comment(`answer: ${raw.response.split('\r\n')[0] || '(connection closed)'}`);
  await othersCarryOn(t);
});

t.test('a client that stops mid-frame and goes silent is terminated by the heartbeat', TEST_OPTIONS, async (t) => {
  const { raw } = await RawSocket.handshake(server.wsUrl);
  raw.write(clientFrame('{"type":"join","role":"watcher","room":"midframe"}'));
  t.equal((await raw.firstMessage()).type, 'joined');
  const next = clientFrame('{"type":"getBroadcast","to":"AAAAAAAAAAAAAAAAAAAAAA"}');
  raw.write(next.subarray(0, next.length - 5));
  t.equal(await raw.ended, null, 'cut without a close frame (it reads nothing, so none would arrive)');
  t.ok(raw.frames.some((f) => f.opcode === 0x9), 'after pings it did not answer');
  await othersCarryOn(t);
});

t.test('a client that cuts the connection mid-frame harms nobody', TEST_OPTIONS, async (t) => {
  const { raw } = await RawSocket.handshake(server.wsUrl);
  raw.write(clientFrame('{"type":"join","role":"watcher"}').subarray(0, 10));
  raw.socket.destroy();
  await raw.ended;
  await othersCarryOn(t);
});

t.test('a client that connects and never joins: join_timeout, close 1008', TEST_OPTIONS, async (t) => {
  const peer = await WsPeer.connect(server.wsUrl);
  await expectClose(t, peer, 'join_timeout', 1008);
  await othersCarryOn(t);
});

t.test('a watcher sending broadcaster messages is refused, and nothing reaches anyone', TEST_OPTIONS, async (t) => {
  const { peer } = await WsPeer.joined(server.wsUrl, 'bystanders', 'watcher');
  const before = bystanders.watcher.peer.received.length;
  peer.send({ type: 'broadcastAvailable' });
  await expectError(t, peer, 'forbidden');
  peer.send({ type: 'offer', to: bystanders.watcher.joined.id, sdp: sdpFor('offer', 'forged') });
  await expectError(t, peer, 'forbidden');
  peer.send({ type: 'iceOfferCandidate', to: bystanders.watcher.joined.id, candidate: candidateFor('forged') });
  await expectError(t, peer, 'forbidden');
  await othersCarryOn(t);
  const got = bystanders.watcher.peer.received.slice(before).filter((m) => m.type !== 'viewerCount');
  t.same(got.map((m) => m.type), ['offer'], 'the watcher got only the broadcaster\'s offer');
  await peer.close();
});

t.test('forged from and to: a `from` is refused, a `to` outside the room finds nobody', TEST_OPTIONS, async (t) => {
  const other = await WsPeer.joined(server.wsUrl, 'elsewhere', 'broadcaster');
  const { peer } = await WsPeer.joined(server.wsUrl, 'elsewhere', 'watcher');
  peer.send({ type: 'answer', to: other.joined.id, from: bystanders.watcher.joined.id, sdp: sdpFor('answer', 'x') });
  await expectError(t, peer, 'invalid_message');
  peer.send({ type: 'answer', to: bystanders.broadcaster.joined.id, sdp: sdpFor('answer', 'x') });
  await expectError(t, peer, 'peer_not_found');
  await othersCarryOn(t);
  t.notOk(bystanders.broadcaster.peer.received.some((m) => m.type === 'answer'), 'the other room\'s broadcaster got nothing');
  await Promise.all([peer.close(), other.peer.close()]);
});

t.test('a watcher over its message budget: rate_limited, close 1008', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.joined(server.wsUrl, 'flood', 'broadcaster');
  const { peer } = await WsPeer.joined(server.wsUrl, 'flood', 'watcher');
  for (let i = 0; i < 400; i++) peer.send({ type: 'getBroadcast', to: b.joined.id });
  const closed = await peer.closed;
  t.same(closed, { code: 1008, reason: 'rate_limited' });
  t.ok(peer.received.some((m) => m.type === 'error' && m.code === 'rate_limited'), 'told rate_limited first');
  await until(b.peer, 'watcherLeft');
  const relayed = b.peer.received.filter((m) => m.type === 'getBroadcast').length;
  t.ok(relayed >= 150 && relayed < 400, `the broadcaster got the burst only (${relayed} of 400)`);
  await b.peer.close();
  await othersCarryOn(t);
});

t.test('a watcher that never answers pings is terminated; its broadcaster is told watcherLeft', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.joined(server.wsUrl, 'heartbeat', 'broadcaster');
  const deaf = await WsPeer.connect(server.wsUrl, { autoPong: false });
  deaf.send({ type: 'join', room: 'heartbeat', role: 'watcher' });
  const { id } = await deaf.next('joined');
  const alive = await WsPeer.joined(server.wsUrl, 'heartbeat', 'watcher');
  let pings = 0;
  alive.peer.socket.on('ping', () => pings++);
  t.same(await until(b.peer, 'watcherLeft'), { type: 'watcherLeft', id }, 'watcherLeft for the silent watcher');
  t.equal((await deaf.closed).code, 1006, 'cut without a close handshake');
  t.ok(pings >= 1, `the watcher that answers was pinged too (${pings}) and is still there`);
  t.equal(alive.peer.socket.readyState, alive.peer.socket.OPEN);
  await Promise.all([b.peer.close(), alive.peer.close()]);
});

t.test('a foreign Origin gets 403 before the upgrade; own, localhost and no Origin are let in', TEST_OPTIONS, async (t) => {
  const host = new URL(server.wsUrl).host;
  const status = async (headers: string[]) => {
    const { raw, status } = await RawSocket.handshake(server.wsUrl, headers);
    raw.socket.destroy();
    return status;
  };
  t.equal(await status(['Origin: https://evil.example']), 403, 'foreign origin');
  t.equal(await status(['Origin: null']), 403, 'opaque origin');
  t.equal(await status([`Origin: http://${host}`]), 101, 'own origin');
  t.equal(await status(['Origin: http://localhost:5173']), 101, 'localhost');
  t.equal(await status([]), 101, 'no Origin (not a browser)');
  await othersCarryOn(t);
});

t.test('ALLOWED_ORIGINS replaces the localhost default', TEST_OPTIONS, async (t) => {
  const other = await startServer({ ALLOWED_ORIGINS: 'https://onair.example' });
  t.teardown(() => other.close());
  const status = async (origin: string) => {
    const { raw, status } = await RawSocket.handshake(other.wsUrl, [`Origin: ${origin}`]);
    raw.socket.destroy();
    return status;
  };
  t.equal(await status('https://onair.example'), 101);
  t.equal(await status('http://localhost:5173'), 403);
  t.equal(await status('https://onair.example.evil.example'), 403);
});

t.test('one connection over MAX_CONNECTIONS_PER_IP: rate_limited, close 1008; a slot frees on close', TEST_OPTIONS, async (t) => {
  const capped = await startServer({ MAX_CONNECTIONS_PER_IP: '3' });
  t.teardown(() => capped.close());
  const first = await Promise.all([1, 2, 3].map(() => WsPeer.connect(capped.wsUrl)));
  const fourth = await WsPeer.connect(capped.wsUrl);
  await expectClose(t, fourth, 'rate_limited', 1008);
  await first[0]!.close();
  const again = await WsPeer.joined(capped.wsUrl, 'cap', 'watcher');
  t.equal(again.joined.type, 'joined', 'a new connection is let in once one closed');
  await Promise.all([...first.slice(1).map((p) => p.close()), again.peer.close()]);
});

t.test('a watcher that stops reading is dropped above the send-buffer threshold', TEST_OPTIONS, async (t) => {
  const MAX_BUFFERED = 64 * 1024;
  const slow = await startServer({}, {
    maxBufferedBytes: MAX_BUFFERED,
    rateLimits: { perConnection: { ratePerS: 1e6, burst: 1e6 }, perWatcher: { ratePerS: 1e6, burst: 1e6 } },
  });
  t.teardown(() => slow.close());
  const b = await WsPeer.joined(slow.wsUrl, 'slow', 'broadcaster');
  const w = await WsPeer.joined(slow.wsUrl, 'slow', 'watcher');
  const tcp = (w.peer.socket as unknown as { _socket: import('node:net').Socket })._socket;
  tcp.pause();
  const left = until(b.peer, 'watcherLeft');
  let dropped = false;
  void left.then(() => (dropped = true));
  const sdp = `${sdpFor('offer', w.joined.id)}a=x-pad:${'p'.repeat(30_000)}\r\n`;
  let sent = 0;
  // Bounded: the kernel's socket buffers on loopback take up to some tens of MB before the server's own buffer grows.
  while (!dropped && sent < 5000) {
    await new Promise<void>((resolve, reject) => b.peer.socket.send(JSON.stringify({ type: 'offer', to: w.joined.id, sdp }), (err) => (err ? reject(err) : resolve())));
    sent++;
    if (sent % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  t.same(await left, { type: 'watcherLeft', id: w.joined.id }, 'the broadcaster is told watcherLeft');
  t.comment(`dropped after ${sent} offers of ${sdp.length} bytes (${((sent * sdp.length) / 1e6).toFixed(1)} MB, most in kernel buffers)`);
  tcp.resume();
  t.equal((await w.peer.closed).code, 1006, 'its connection was cut');
  await b.peer.close();
});
