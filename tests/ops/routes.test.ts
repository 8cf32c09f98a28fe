/**
 * `GET /api/rooms` and `GET /status` over real HTTP, with rooms made by real sockets.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { fullExchange, TEST_OPTIONS } from '../signaling/helpers.ts';

t.test('/api/rooms lists the rooms, their audiences and what the broadcaster delivers', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  t.same(await (await fetch(`${server.httpUrl}/api/rooms`)).json(), { sfu: 'off', totals: { rooms: 0, live: 0, watchers: 0 }, rooms: [] });

  const { broadcaster, watchers } = await fullExchange(t, server.wsUrl, 'talk', 2);
  const early = await WsPeer.joined(server.wsUrl, 'later', 'watcher');
  broadcaster.peer.send({
    type: 'stats',
    watchers: watchers.map((w, i) => ({ id: w.id, state: 'connected', candidateType: 'host', rttMs: 1, bitrateKbps: 1000 + i, fps: 29.96 })),
  });
  // One socket's messages are handled in order: once chatSettings comes back, the stats report has landed.
  broadcaster.peer.send({ type: 'chatSettings', enabled: false });
  await broadcaster.peer.next('chatSettings');
  const response = await fetch(`${server.httpUrl}/api/rooms`);
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^application\/json/);
  const body = await response.json();
  t.same(body.totals, { rooms: 2, live: 1, watchers: 3 });
  t.match(body.rooms, [
    { name: 'talk', live: true, broadcaster: true, watchers: 2, chatEnabled: false, path: 'mesh', viewersByPath: { mesh: 2, sfu: 0 }, delivered: { connected: 2, bitrateKbps: 2001, fps: 30, reportedAt: String } },
    { name: 'later', live: false, broadcaster: false, watchers: 1, chatEnabled: true, path: 'mesh', viewersByPath: { mesh: 1, sfu: 0 }, delivered: null },
  ]);
  for (const p of [broadcaster, ...watchers, early]) await p.peer.close();
});

t.test('/status is the status page', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const response = await fetch(`${server.httpUrl}/status`);
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/html/);
  t.match(await response.text(), /<script type="module" src="\/assets\/status-[A-Z0-9]+\.js">/);
});
