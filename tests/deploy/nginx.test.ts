/**
 * The deployment's nginx configuration (`deploy/nginx/onair.conf`) run by a real nginx in front of real OnAir nodes:
 * pages and WebSocket upgrades reach the nodes, and a node that is down or draining is passed over; every WHIP
 * request of one room (the POST, then the PATCH and DELETE of its resource) reaches the same node.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import t from 'tap';
import { startNginx } from '../helpers/nginx.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

const hostPort = (url: string) => new URL(url).host;

t.test('WebSocket upgrades on /ws and pages reach the nodes, round robin', async (t) => {
  const nodes = [await startServer(), await startServer()];
  const nginx = await startNginx(nodes.map((n) => hostPort(n.httpUrl)));
  t.teardown(async () => {
    await nginx.stop();
    for (const node of nodes) await node.close();
  });
  const page = await fetch(`${nginx.httpUrl}/watch`);
  t.equal(page.status, 200);
  t.match(await page.text(), /<html/i);
  t.equal((await fetch(`${nginx.httpUrl}/readyz`)).status, 200);

  const peers = await Promise.all([0, 1, 2, 3].map(() => WsPeer.joined(nginx.wsUrl, 'main', 'watcher')));
  for (const { joined } of peers) t.equal(joined.role, 'watcher');
  const perNode = nodes.map((n) => n.app.websocketServer.clients.size);
  t.same(perNode, [2, 2], 'two sockets on each node');
  for (const { peer } of peers) await peer.close();
});

t.test("WHIP: a room's POST, PATCH and DELETE reach the node that took the POST; other paths are round robin", async (t) => {
  // Two stand-ins for nodes that answer with their own name: what is tested here is nginx's routing.
  const backends = await Promise.all(
    ['node-a', 'node-b'].map(async (name) => {
      const server = createServer((req, res) => res.end(`${name} ${req.method} ${req.url}`));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return { server, address: `127.0.0.1:${(server.address() as { port: number }).port}` };
    }),
  );
  const nginx = await startNginx(backends.map((b) => b.address));
  t.teardown(async () => {
    await nginx.stop();
    for (const { server } of backends) await new Promise((resolve) => server.close(resolve));
  });
  const who = async (method: string, path: string) => (await (await fetch(`${nginx.httpUrl}${path}`, { method })).text()).split(' ')[0];
  const seen = new Set<string>();
  for (const room of ['class-1', 'talk', 'game_night', 'cam-42', 'r5', 'r6']) {
    const node = await who('POST', `/whip/${room}`);
    seen.add(node!);
    for (let i = 0; i < 3; i++) {
      t.equal(await who('PATCH', `/whip/${room}/resource-${i}`), node, `${room}: PATCH ${i} on the POST's node`);
    }
    t.equal(await who('DELETE', `/whip/${room}/resource-0`), node, `${room}: DELETE on the POST's node`);
  }
  t.equal(seen.size, 2, 'the rooms are spread over both nodes');
  const others = new Set<string>();
  for (let i = 0; i < 4; i++) others.add((await who('GET', '/healthz'))!);
  t.equal(others.size, 2, 'other paths: round robin');
});

t.test('a node that is down or draining is passed over', async (t) => {
  const nodes = [await startServer(), await startServer()];
  const nginx = await startNginx(nodes.map((n) => hostPort(n.httpUrl)));
  t.teardown(async () => {
    await nginx.stop();
    for (const node of nodes) await node.close();
  });
  nodes[0]!.app.drain();
  for (let i = 0; i < 4; i++) t.equal((await fetch(`${nginx.httpUrl}/readyz`)).status, 200, 'the draining node is skipped');
  await nodes[0]!.close();
  for (let i = 0; i < 4; i++) {
    const { peer, joined } = await WsPeer.joined(nginx.wsUrl, 'main', 'watcher');
    t.equal(joined.type, 'joined', 'joined through the live node');
    await peer.close();
  }
  // The node sees each close a moment after the client does (it comes through nginx): await the last ones.
  await Promise.all([...nodes[1]!.app.websocketServer.clients].map((ws) => once(ws, 'close')));
  t.equal(nodes[1]!.app.websocketServer.clients.size, 0, 'every socket through nginx was closed on the node too');
});

t.test('TRUST_PROXY: behind nginx, the per-IP cap counts each client, not the proxy', async (t) => {
  const trusting = await startServer({ MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: 'loopback' });
  const plain = await startServer({ MAX_CONNECTIONS_PER_IP: '1' });
  const viaTrusting = await startNginx([hostPort(trusting.httpUrl)]);
  const viaPlain = await startNginx([hostPort(plain.httpUrl)]);
  t.teardown(async () => {
    await Promise.all([viaTrusting.stop(), viaPlain.stop()]);
    await Promise.all([trusting.close(), plain.close()]);
  });
  // Two clients on two loopback addresses, one connection each.
  const from = (address: string, url: string) => WsPeer.connect(url, { localAddress: address });
  const a = await from('127.0.0.2', viaTrusting.wsUrl);
  const b = await from('127.0.0.3', viaTrusting.wsUrl);
  for (const peer of [a, b]) peer.send({ type: 'join', room: 'main', role: 'watcher' });
  t.ok((await a.next('joined')) && (await b.next('joined')), 'each client has its own cap');

  const c = await from('127.0.0.2', viaPlain.wsUrl);
  c.send({ type: 'join', room: 'main', role: 'watcher' });
  await c.next('joined');
  const d = await from('127.0.0.3', viaPlain.wsUrl);
  t.match(await d.next('error'), { code: 'rate_limited' }, 'without it, every client is the proxy');
  await Promise.all([a.close(), b.close(), c.close(), d.closed]);
});
