/**
 * Graceful shutdown of the real server process (`server/index.ts`, close-with-grace): on SIGTERM every client gets
 * close 1001 "going away" (so the pages reconnect) and the process exits 0.
 */
import t from 'tap';
import { freePort } from '../helpers/ports.ts';
import { startScript } from '../helpers/run-script.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

t.test('SIGTERM: clients get 1001, the process exits 0', { timeout: 60_000 }, async (t) => {
  const port = await freePort();
  const server = startScript('server/index.ts', [], { PORT: String(port), HOST: '127.0.0.1', STUN_URLS: 'none', LOG_LEVEL: 'info' });
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', () => output.includes('OnAir: broadcast at') && resolve());
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  const url = `ws://127.0.0.1:${port}/ws`;
  const b = await WsPeer.joined(url, 'main', 'broadcaster');
  const w = await WsPeer.joined(url, 'main', 'watcher');
  server.kill('SIGTERM');
  t.same(await b.peer.closed, { code: 1001, reason: 'server shutting down' }, 'the broadcaster is told going away');
  t.same(await w.peer.closed, { code: 1001, reason: 'server shutting down' }, 'and so is the watcher');
  t.equal(await exited, 0, 'exit status 0');
  t.match(output, /"signal":"SIGTERM".*shutting down/, 'it logged why');
});
