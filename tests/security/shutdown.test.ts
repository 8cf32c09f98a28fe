/**
 * Graceful shutdown of the real server process (`server/index.ts`, close-with-grace): on SIGTERM every client gets
 * close 1001 "going away" (so the pages reconnect) and the process exits 0.
 */
import t from 'tap';
import { freePort } from '../helpers/ports.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

t.test('SIGTERM: clients get 1001, the process exits 0', { timeout: 60_000 }, async (t) => {
  const server = await startServerProcess(await freePort());
  const b = await WsPeer.joined(server.wsUrl, 'main', 'broadcaster');
  const w = await WsPeer.joined(server.wsUrl, 'main', 'watcher');
  server.child.kill('SIGTERM');
  t.same(await b.peer.closed, { code: 1001, reason: 'server shutting down' }, 'the broadcaster is told going away');
  t.same(await w.peer.closed, { code: 1001, reason: 'server shutting down' }, 'and so is the watcher');
  t.equal(await server.exited, 0, 'exit status 0');
  t.match(server.output(), /"signal":"SIGTERM".*shutting down/, 'it logged why');
});
