import t from 'tap';
import { cleanupNodeDataChannel } from '../../scripts/simulate/native.ts';
import { RelayConnection } from '../../scripts/simulate/relay-connection.ts';
import { runWatcher, type WatcherOptions } from '../../scripts/simulate/watcher.ts';
import { startServer } from '../helpers/server.ts';
import { NdcBroadcaster } from './helpers/ndc-broadcaster.ts';
import { freePort } from '../helpers/ports.ts';

t.teardown(cleanupNodeDataChannel);

const server = await startServer();
t.teardown(() => server.close());

function options(overrides: Partial<WatcherOptions> = {}): WatcherOptions {
  return {
    index: 0,
    relayUrl: server.wsUrl,
    room: 'w',
    durationMs: 500,
    timeoutMs: 10_000,
    bindAddress: '127.0.0.1',
    rembBitrate: 3_000_000,
    ...overrides,
  };
}


t.test('joins a live broadcast, connects, receives video RTP and sends REMB', async (t) => {
  const broadcaster = await NdcBroadcaster.start(server.wsUrl, 'live');
  t.teardown(() => broadcaster.close());
  const seen: string[] = [];
  const result = await runWatcher(options({ room: 'live' }), {
    joined: () => seen.push('joined'),
    connected: () => seen.push('connected'),
  });
  t.equal(result.failure, null);
  t.same(seen, ['joined', 'connected']);
  t.ok(result.joined && result.connected);
  t.match(result.peerId, /^[A-Za-z0-9_-]{22}$/);
  const { offerMs, iceConnectedMs, firstRtpMs } = result.timings;
  t.ok(offerMs !== null && iceConnectedMs !== null && firstRtpMs !== null, 'every milestone is timed');
  t.ok(offerMs! <= iceConnectedMs! && iceConnectedMs! <= firstRtpMs!, 'offer, then ICE connected, then first RTP');
  t.ok(result.video.packets > 0 && result.video.bytes === result.video.packets * 1000);
  t.ok(result.video.kbps! > 0);
  t.ok(result.video.windowMs > 0);
  await broadcaster.rembSeen;
});

t.test('waits for broadcastAvailable when it joins before the broadcaster goes live', async (t) => {
  let broadcaster: Promise<NdcBroadcaster> | null = null;
  const result = await runWatcher(options({ room: 'later' }), {
    joined: () => {
      broadcaster = NdcBroadcaster.start(server.wsUrl, 'later');
    },
  });
  t.teardown(async () => (await broadcaster)?.close());
  t.equal(result.failure, null);
  t.ok(result.connected);
});

t.test('a server that does not answer is unreachable, at once', async (t) => {
  const port = await freePort();
  const result = await runWatcher(options({ relayUrl: `ws://127.0.0.1:${port}/ws` }));
  t.equal(result.failure?.code, 'unreachable');
  t.match(result.failure?.message, `cannot open ws://127.0.0.1:${port}/ws: connect ECONNREFUSED`);
  t.notOk(result.joined);
});

t.test('a room without a broadcaster times out with no_broadcaster', async (t) => {
  const result = await runWatcher(options({ room: 'empty', timeoutMs: 300 }));
  t.equal(result.failure?.code, 'no_broadcaster');
  t.equal(result.failure?.message, 'no broadcaster went live in room "empty" within 0.3 s');
  t.ok(result.joined);
  t.notOk(result.connected);
});

t.test('a broadcaster that never offers times out with no_offer', async (t) => {
  const broadcaster = await NdcBroadcaster.start(server.wsUrl, 'mute', { offer: false });
  t.teardown(() => broadcaster.close());
  const result = await runWatcher(options({ room: 'mute', timeoutMs: 300 }));
  t.equal(result.failure?.code, 'no_offer');
});

t.test('a broadcaster that leaves ends the watcher with broadcast_ended', async (t) => {
  const relay = await RelayConnection.open(server.wsUrl, 5000, new AbortController().signal, () => new Error('aborted'));
  relay.send({ type: 'join', room: 'gone', role: 'broadcaster' });
  await relay.next(['joined']);
  relay.send({ type: 'broadcastAvailable' });
  relay.on('getBroadcast', () => void relay.close());
  const result = await runWatcher(options({ room: 'gone' }));
  t.equal(result.failure?.code, 'broadcast_ended');
});

t.test('a join the relay refuses is reported with its error code', async (t) => {
  const result = await runWatcher(options({ room: 'not a room' }));
  t.equal(result.failure?.code, 'refused');
  t.match(result.failure?.message, /^the relay answered invalid_join: /);
});

t.test('stopping the run before it connects fails the watcher with aborted', async (t) => {
  const stop = new AbortController();
  const result = await runWatcher(options({ room: 'abort' }), { joined: () => stop.abort() }, stop.signal);
  t.equal(result.failure?.code, 'aborted');
});
