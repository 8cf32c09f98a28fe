import { createServer } from 'node:http';
import t, { type Test } from 'tap';
import { WebSocketServer, type WebSocket } from 'ws';
import { RelayConnection } from '../../scripts/simulate/relay-connection.ts';

/** A bare `ws` server on 127.0.0.1 port 0 that hands each accepted socket to `onSocket`. */
async function rawServer(t: Test, onSocket: (socket: WebSocket) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', onSocket);
  t.teardown(() => new Promise((resolve) => wss.close(resolve)));
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`;
}

const never = new AbortController().signal;
const aborted = () => new Error('aborted');

t.test('delivers checked server messages to typed listeners and skips invalid frames', async (t) => {
  // Like the relay, the server speaks once the client has: listeners are attached by then.
  const url = await rawServer(t, (socket) => socket.once('message', () => {
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'nonsense' }));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    socket.send(JSON.stringify({ type: 'viewerCount', count: -1 }));
    socket.send(JSON.stringify({ type: 'viewerCount', count: 3 }));
  }));
  const relay = await RelayConnection.open(url, 5000, never, aborted);
  t.teardown(() => relay.close());
  const counts: number[] = [];
  relay.on('viewerCount', (m) => counts.push(m.count));
  relay.send({ type: 'join', room: 'main', role: 'watcher' });
  t.same(await relay.next(['viewerCount']), { type: 'viewerCount', count: 3 });
  t.same(counts, [3]);
  t.equal(relay.invalidFrames, 4);
});

t.test('sends client messages as JSON text', async (t) => {
  let received: (text: string) => void = () => {};
  const frame = new Promise<string>((resolve) => (received = resolve));
  const url = await rawServer(t, (socket) => socket.on('message', (data) => received(data.toString())));
  const relay = await RelayConnection.open(url, 5000, never, aborted);
  t.teardown(() => relay.close());
  relay.send({ type: 'join', room: 'main', role: 'watcher' });
  t.same(JSON.parse(await frame), { type: 'join', room: 'main', role: 'watcher' });
});

t.test('next() rejects with socket_closed when the server closes', async (t) => {
  const url = await rawServer(t, (socket) => socket.close(1008, 'go away'));
  const relay = await RelayConnection.open(url, 5000, never, aborted);
  await t.rejects(relay.next(['joined']), { name: 'WatcherError', code: 'socket_closed', message: /1008 go away/ });
  t.same(await relay.closed, { code: 1008, reason: 'go away' });
  t.notOk(relay.open);
  relay.send({ type: 'broadcastAvailable' }); // dropped, no throw
  await relay.close(); // already closed
});

t.test('next() rejects with the signal’s reason when aborted', async (t) => {
  const url = await rawServer(t, () => {});
  const relay = await RelayConnection.open(url, 5000, never, aborted);
  t.teardown(() => relay.close());
  const stop = new AbortController();
  const waiting = relay.next(['offer'], stop.signal);
  stop.abort(new Error('enough'));
  await t.rejects(waiting, { message: 'enough' });
});

t.test('open() fails with unreachable on a server that is not a WebSocket relay', async (t) => {
  const http = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => http.close(resolve)));
  const url = `ws://127.0.0.1:${(http.address() as { port: number }).port}/ws`;
  await t.rejects(RelayConnection.open(url, 5000, never, aborted), {
    name: 'WatcherError',
    code: 'unreachable',
    message: `cannot open ${url}: Unexpected server response: 404`,
  });
  await t.rejects(RelayConnection.open('ws://127.0.0.1:1/ws', 5000, never, aborted), { code: 'unreachable', message: /ECONNREFUSED/ });
});

t.test('open() rejects with onAbort() when the signal aborts', async (t) => {
  const stop = new AbortController();
  stop.abort();
  await t.rejects(RelayConnection.open('ws://127.0.0.1:1/ws', 5000, stop.signal, () => new Error('stopped')), { message: 'stopped' });
});
