import { createHmac } from 'node:crypto';
import t from 'tap';
import { loadConfig } from '../../server/config.ts';
import { iceServersFor } from '../../server/ice/ice-servers.ts';
import { IceServer } from '../../protocol/messages.ts';

const PEER = 'Hx2m-LZ0c_9pQeRt7uVw1A';
const config = (env: Record<string, string>) => loadConfig(env, null);

t.test('STUN only (the default), no TURN', async (t) => {
  const servers = iceServersFor(config({}), PEER);
  t.same(servers, [{ urls: ['stun:stun.l.google.com:19302'] }]);
  t.same(iceServersFor(config({ STUN_URLS: 'stun:a.example.org:3478, stuns:b.example.org:5349' }), PEER), [
    { urls: ['stun:a.example.org:3478', 'stuns:b.example.org:5349'] },
  ]);
});

t.test('STUN none and no TURN: no ICE servers at all', async (t) => {
  t.same(iceServersFor(config({ STUN_URLS: 'none' }), PEER), []);
});

t.test('static TURN credentials are passed as they are', async (t) => {
  const c = config({ STUN_URLS: 'none', TURN_URLS: 'turn:turn.example.org:3478,turns:turn.example.org:5349', TURN_USERNAME: 'onair', TURN_CREDENTIAL: 'hunter2' });
  t.same(iceServersFor(c, PEER), [
    { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'], username: 'onair', credential: 'hunter2' },
  ]);
});

t.test('secret TURN: credentials minted for this peer (TURN REST)', async (t) => {
  const secret = 'coturn-static-auth-secret';
  const c = config({ TURN_URLS: 'turn:turn.example.org:3478', TURN_SECRET: secret, TURN_TTL_S: '900' });
  const before = Math.floor(Date.now() / 1000);
  const servers = iceServersFor(c, PEER);
  const after = Math.floor(Date.now() / 1000);
  t.equal(servers.length, 2, 'STUN then TURN');
  t.same(servers[0], { urls: ['stun:stun.l.google.com:19302'] });
  const turn = servers[1]!;
  t.same(turn.urls, ['turn:turn.example.org:3478']);
  const match = /^(\d+):(.+)$/.exec(turn.username ?? '');
  t.ok(match, 'username is <expiry>:<id>');
  const expiry = Number(match?.[1]);
  t.equal(match?.[2], PEER, 'the id is the peer id');
  t.ok(expiry >= before + 900 && expiry <= after + 900, 'expiry = floor(now / 1000) + TURN_TTL_S');
  t.equal(turn.credential, createHmac('sha1', secret).update(turn.username!).digest('base64'), 'HMAC-SHA1 of the username');
  t.not(iceServersFor(c, 'AnotherPeerId_012345678')[1]!.credential, turn.credential, 'each peer gets its own credential');
});

t.test('the result is valid for `joined` and does not share the frozen config arrays', async (t) => {
  const c = config({ TURN_URLS: 'turn:turn.example.org:3478', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'p' });
  const servers = iceServersFor(c, PEER);
  for (const server of servers) t.ok(IceServer.safeParse(server).success);
  servers[0]!.urls.push('stun:mutated.example.org');
  t.same(c.stunUrls, ['stun:stun.l.google.com:19302'], 'config unchanged');
});
