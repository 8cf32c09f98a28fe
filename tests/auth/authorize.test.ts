import t from 'tap';
import { authorizeJoin, isLoopbackAddress, isLoopbackHost } from '../../server/auth/authorize.ts';
import { signToken } from '../../server/auth/tokens.ts';

const LOCAL = { remoteAddress: '127.0.0.1', host: '127.0.0.1:3000' };
const REMOTE = { remoteAddress: '203.0.113.7', host: 'onair.example.com' };
const OPEN = { broadcastSecret: null, watchSecret: null };

t.test('loopback addresses and host names', async (t) => {
  for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) t.ok(isLoopbackAddress(a), a);
  for (const a of ['10.0.0.1', '203.0.113.7', '::ffff:203.0.113.7', '::', 'fe80::1', '', undefined]) t.notOk(isLoopbackAddress(a), String(a));
  for (const h of ['localhost', 'localhost:3000', 'app.localhost:1', '127.0.0.1:80', '[::1]:3000', '[::1]']) t.ok(isLoopbackHost(h), h);
  for (const h of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', undefined]) t.notOk(isLoopbackHost(h), String(h));
});

t.test('protected mode (no BROADCAST_SECRET): broadcasting only from loopback, by a loopback host name', async (t) => {
  t.equal(authorizeJoin({ room: 'main', role: 'broadcaster' }, LOCAL, OPEN), null);
  t.match(authorizeJoin({ room: 'main', role: 'broadcaster' }, REMOTE, OPEN), /only from loopback/);
  t.match(authorizeJoin({ room: 'main', role: 'broadcaster' }, { remoteAddress: '127.0.0.1', host: 'rebound.evil.example:3000' }, OPEN), /non-local Host/, 'DNS rebinding');
  t.match(authorizeJoin({ room: 'main', role: 'broadcaster', token: 'anything' }, REMOTE, OPEN), /only from loopback/, 'a token does not help without a secret');
  t.equal(authorizeJoin({ room: 'main', role: 'watcher' }, REMOTE, OPEN), null, 'anyone may watch');
});

t.test('with secrets: tokens decide, wherever the client is', async (t) => {
  const config = { broadcastSecret: 'b'.repeat(32), watchSecret: 'w'.repeat(32) };
  const broadcaster = await signToken(config.broadcastSecret, { room: 'main', role: 'broadcaster' }, 60);
  const watcher = await signToken(config.watchSecret, { room: 'main', role: 'watcher' }, 60);
  t.equal(await authorizeJoin({ room: 'main', role: 'broadcaster', token: broadcaster }, REMOTE, config), null);
  t.equal(authorizeJoin({ room: 'main', role: 'broadcaster' }, LOCAL, config), 'no token', 'loopback needs a token too');
  t.match(await authorizeJoin({ room: 'main', role: 'broadcaster', token: watcher }, REMOTE, config), /bad token/, 'a watcher token cannot broadcast');
  t.match(await authorizeJoin({ room: 'other', role: 'broadcaster', token: broadcaster }, REMOTE, config), /another room/);
  t.equal(await authorizeJoin({ room: 'main', role: 'watcher', token: watcher }, REMOTE, config), null);
  t.equal(authorizeJoin({ room: 'main', role: 'watcher' }, REMOTE, config), 'no token', 'WATCH_SECRET: watchers need one');
  t.match(await authorizeJoin({ room: 'main', role: 'watcher', token: broadcaster }, REMOTE, config), /bad token/);
});
