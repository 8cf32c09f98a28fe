import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ConfigError, loadConfig } from '../server/config.ts';

/** Load with only `env` (never the real process environment or a stray `.env`). */
const load = (env: Record<string, string | undefined>) => loadConfig(env, null);

/** Assert that `env` is refused with a ConfigError naming `variable`. */
function refuses(t: Test, env: Record<string, string>, variable: string): void {
  t.throws(() => load(env), ConfigError, `${JSON.stringify(env)} is refused`);
  try {
    load(env);
  } catch (err) {
    t.ok(err instanceof ConfigError, 'a ConfigError');
    t.equal((err as ConfigError).variable, variable, `names ${variable}`);
    t.match((err as ConfigError).message, variable, 'the message names it too');
  }
}

t.test('defaults', async (t) => {
  t.same(load({}), {
    port: 3000,
    host: '127.0.0.1',
    logLevel: 'info',
    stunUrls: ['stun:stun.l.google.com:19302'],
    turn: null,
    iceTransportPolicy: 'all',
    tls: null,
    broadcastSecret: null,
    watchSecret: null,
    broadcasterTakeover: 'refuse',
    allowedOrigins: null,
    frameAncestors: [],
    maxConnectionsPerIp: 100,
    maxViewers: 0,
    metricsAllow: ['loopback'],
    maxEventLoopDelayMs: 1000,
    messageRate: { ratePerS: 50, burst: 200 },
    sfu: { mode: 'auto', external: null, instanceMaxViewers: 0, managed: { rtpPortRange: null, iceInterfaces: [], nat11: [] } },
    meshMaxViewers: 4,
    resume: { secret: null, file: '.onair-resume-secret' },
    trustProxy: null,
    redisUrl: null,
  });
  t.same(load({ PORT: '', LOG_LEVEL: '', TURN_URLS: '' }), load({}), 'empty values count as unset');
});

t.test('values are read and typed', async (t) => {
  const c = load({ PORT: '8443', HOST: '0.0.0.0', LOG_LEVEL: 'debug', ICE_TRANSPORT_POLICY: 'relay', STUN_URLS: 'stun:a:3478, stuns:b:5349' });
  t.equal(c.port, 8443);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.logLevel, 'debug');
  t.equal(c.iceTransportPolicy, 'relay');
  t.same(c.stunUrls, ['stun:a:3478', 'stuns:b:5349']);
  t.equal(load({ MAX_VIEWERS: '16' }).maxViewers, 16, 'MAX_VIEWERS');
  t.same(load({ MESSAGE_RATE_PER_S: '2.5', MESSAGE_BURST: '1000' }).messageRate, { ratePerS: 2.5, burst: 1000 }, 'MESSAGE_RATE_PER_S, MESSAGE_BURST');
  t.same(load({ RESUME_SECRET: 'r'.repeat(32), RESUME_SECRET_FILE: '/var/lib/onair/key' }).resume, { secret: 'r'.repeat(32), file: '/var/lib/onair/key' }, 'RESUME_SECRET, RESUME_SECRET_FILE');
  t.equal(load({ REDIS_URL: 'redis://10.0.0.5:6379/0' }).redisUrl, 'redis://10.0.0.5:6379/0', 'REDIS_URL');
  t.same(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, ['loopback', '10.0.0.0/8'], 'TRUST_PROXY');
});

t.test('a short RESUME_SECRET or a REDIS_URL that is no Redis URL is refused', async (t) => {
  refuses(t, { RESUME_SECRET: 'short' }, 'RESUME_SECRET');
  refuses(t, { REDIS_URL: 'http://10.0.0.5:6379' }, 'REDIS_URL');
  refuses(t, { TRUST_PROXY: 'nginx.local' }, 'TRUST_PROXY');
});

t.test('STUN_URLS=none gives no STUN', async (t) => {
  t.same(load({ STUN_URLS: 'none' }).stunUrls, []);
  t.same(load({ STUN_URLS: ' none ' }).stunUrls, []);
});

t.test('TURN: static credentials or a shared secret', async (t) => {
  t.same(load({ TURN_URLS: 'turn:t:3478', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'p' }).turn, {
    urls: ['turn:t:3478'],
    mode: 'static',
    username: 'u',
    credential: 'p',
  });
  t.same(load({ TURN_URLS: 'turn:t:3478,turns:t:5349', TURN_SECRET: '0123456789abcdef' }).turn, {
    urls: ['turn:t:3478', 'turns:t:5349'],
    mode: 'secret',
    secret: '0123456789abcdef',
    ttlSeconds: 3600,
  });
  const turn = load({ TURN_URLS: 'turn:t', TURN_SECRET: '0123456789abcdef', TURN_TTL_S: '60' }).turn;
  t.equal(turn?.mode === 'secret' ? turn.ttlSeconds : null, 60, 'TURN_TTL_S');
});

t.test('each bad value throws a ConfigError naming the variable', async (t) => {
  refuses(t, { PORT: 'abc' }, 'PORT');
  refuses(t, { PORT: '65536' }, 'PORT');
  refuses(t, { PORT: '-1' }, 'PORT');
  refuses(t, { LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
  refuses(t, { STUN_URLS: 'http://x' }, 'STUN_URLS');
  refuses(t, { STUN_URLS: 'stun:ok, turn:not-stun' }, 'STUN_URLS');
  refuses(t, { TURN_URLS: 'stun:x', TURN_SECRET: '0123456789abcdef' }, 'TURN_URLS');
  refuses(t, { TURN_URLS: 'turn:t:3478' }, 'TURN_URLS');
  refuses(t, { TURN_URLS: 'turn:t:3478', TURN_SECRET: '0123456789abcdef', TURN_USERNAME: 'u' }, 'TURN_SECRET');
  refuses(t, { TURN_URLS: 'turn:t:3478', TURN_USERNAME: 'u' }, 'TURN_CREDENTIAL');
  refuses(t, { TURN_SECRET: '0123456789abcdef' }, 'TURN_URLS');
  refuses(t, { TURN_URLS: 'turn:t:3478', TURN_SECRET: 'short' }, 'TURN_SECRET');
  refuses(t, { TURN_URLS: 'turn:t:3478', TURN_SECRET: '0123456789abcdef', TURN_TTL_S: '5' }, 'TURN_TTL_S');
  refuses(t, { ICE_TRANSPORT_POLICY: 'none' }, 'ICE_TRANSPORT_POLICY');
  refuses(t, { TLS_CERT: '/etc/onair/cert.pem' }, 'TLS_KEY');
  refuses(t, { TLS_KEY: '/etc/onair/key.pem' }, 'TLS_KEY');
  refuses(t, { BROADCAST_SECRET: 'too-short-for-hs256' }, 'BROADCAST_SECRET');
  refuses(t, { WATCH_SECRET: 'too-short-for-hs256' }, 'WATCH_SECRET');
  refuses(t, { BROADCASTER_TAKEOVER: 'fight' }, 'BROADCASTER_TAKEOVER');
  refuses(t, { ALLOWED_ORIGINS: 'example.com' }, 'ALLOWED_ORIGINS');
  refuses(t, { ALLOWED_ORIGINS: 'https://a.example/path' }, 'ALLOWED_ORIGINS');
  refuses(t, { FRAME_ANCESTORS: 'blog.example.com' }, 'FRAME_ANCESTORS');
  refuses(t, { FRAME_ANCESTORS: "https://a.example 'unsafe-inline'" }, 'FRAME_ANCESTORS');
  refuses(t, { MAX_CONNECTIONS_PER_IP: '0' }, 'MAX_CONNECTIONS_PER_IP');
  refuses(t, { MAX_VIEWERS: '-1' }, 'MAX_VIEWERS');
  refuses(t, { MAX_VIEWERS: '2.5' }, 'MAX_VIEWERS');
  refuses(t, { METRICS_ALLOW: 'localhost' }, 'METRICS_ALLOW');
  refuses(t, { METRICS_ALLOW: '10.0.0.0/33' }, 'METRICS_ALLOW');
  refuses(t, { METRICS_ALLOW: '10.0.0.0/8/1' }, 'METRICS_ALLOW');
  refuses(t, { METRICS_ALLOW: 'off,127.0.0.1' }, 'METRICS_ALLOW');
  refuses(t, { MAX_EVENT_LOOP_DELAY_MS: '-5' }, 'MAX_EVENT_LOOP_DELAY_MS');
  refuses(t, { MESSAGE_RATE_PER_S: '0' }, 'MESSAGE_RATE_PER_S');
  refuses(t, { MESSAGE_BURST: '0.5' }, 'MESSAGE_BURST');
});

t.test('security settings are read and typed', async (t) => {
  const secret = 'x'.repeat(32);
  const c = load({
    BROADCAST_SECRET: secret,
    WATCH_SECRET: `${secret}w`,
    BROADCASTER_TAKEOVER: 'takeover',
    ALLOWED_ORIGINS: 'https://onair.example.com/, http://localhost:3000',
    MAX_CONNECTIONS_PER_IP: '2000',
  });
  t.equal(c.broadcastSecret, secret);
  t.equal(c.watchSecret, `${secret}w`);
  t.equal(c.broadcasterTakeover, 'takeover');
  t.same(c.allowedOrigins, ['https://onair.example.com', 'http://localhost:3000'], 'trimmed, without a trailing slash');
  t.same(load({ FRAME_ANCESTORS: 'https://blog.example.com/, self' }).frameAncestors, ['https://blog.example.com', 'self'], 'FRAME_ANCESTORS');
  t.same(load({ FRAME_ANCESTORS: 'none' }).frameAncestors, [], 'FRAME_ANCESTORS=none');
  t.equal(c.maxConnectionsPerIp, 2000);
});

t.test('METRICS_ALLOW: off, all, loopback, addresses and CIDR blocks', async (t) => {
  t.same(load({ METRICS_ALLOW: 'off' }).metricsAllow, ['off']);
  t.same(load({ METRICS_ALLOW: ' all ' }).metricsAllow, ['all']);
  t.same(load({ METRICS_ALLOW: 'loopback, 10.0.0.0/8,192.0.2.7, fd00::/8' }).metricsAllow, ['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
  t.equal(load({ MAX_EVENT_LOOP_DELAY_MS: '0' }).maxEventLoopDelayMs, 0, '0 turns the overload check off');
});

t.test('TLS files are read, and unreadable ones are refused', async (t) => {
  const dir = t.testdir({ 'cert.pem': 'CERT', 'key.pem': 'KEY' });
  const c = load({ TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') });
  t.equal(c.tls?.cert.toString(), 'CERT');
  t.equal(c.tls?.key.toString(), 'KEY');
  refuses(t, { TLS_CERT: join(dir, 'missing.pem'), TLS_KEY: join(dir, 'key.pem') }, 'TLS_CERT');
});

t.test('the result is frozen', async (t) => {
  const c = load({ TURN_URLS: 'turn:t:3478', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'p' });
  t.ok(Object.isFrozen(c), 'config');
  t.ok(Object.isFrozen(c.stunUrls), 'stunUrls');
  t.ok(Object.isFrozen(c.turn), 'turn');
  t.ok(Object.isFrozen(c.turn?.urls), 'turn.urls');
  t.throws(() => {
    (c as { port: number }).port = 1;
  }, TypeError);
  t.throws(() => (c.stunUrls as string[]).push('stun:x'), TypeError);
  t.equal(c.port, 3000);
});

t.test('a .env file is read, but the real environment wins', async (t) => {
  const dir = t.testdir({
    '.env': ['# OnAir test', 'PORT=4000', 'LOG_LEVEL=debug', 'STUN_URLS="stun:from-dotenv:3478"', 'HOST=0.0.0.0', ''].join('\n'),
  });
  const path = join(dir, '.env');
  const c = loadConfig({ PORT: '5000', HOST: '' }, path);
  t.equal(c.port, 5000, 'the environment wins');
  t.equal(c.logLevel, 'debug', 'from .env');
  t.same(c.stunUrls, ['stun:from-dotenv:3478'], 'from .env, quotes removed');
  t.equal(c.host, '0.0.0.0', 'an empty variable does not hide the .env value');
  t.same(loadConfig({}, join(dir, 'no-such.env')), load({}), 'a missing .env file is fine');
  writeFileSync(path, 'LOG_LEVEL=loud\n');
  t.throws(() => loadConfig({}, path), { name: 'ConfigError', variable: 'LOG_LEVEL' }, '.env values are checked too');
});

t.test('.env.example lists every variable, and copied as .env it gives the defaults', async (t) => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  t.same(listed.sort(), [
    'HOST', 'ICE_TRANSPORT_POLICY', 'LOG_LEVEL', 'MAX_EVENT_LOOP_DELAY_MS', 'MAX_VIEWERS', 'METRICS_ALLOW', 'PORT', 'STUN_URLS', 'TLS_CERT', 'TLS_KEY',
    'TURN_CREDENTIAL', 'TURN_SECRET', 'TURN_TTL_S', 'TURN_URLS', 'TURN_USERNAME',
    'ALLOWED_ORIGINS', 'BROADCASTER_TAKEOVER', 'BROADCAST_SECRET', 'MAX_CONNECTIONS_PER_IP', 'WATCH_SECRET',
    'FRAME_ANCESTORS', 'MESSAGE_BURST', 'MESSAGE_RATE_PER_S',
    'SFU', 'JANUS_URL', 'JANUS_URLS', 'JANUS_MAX_VIEWERS', 'JANUS_API_SECRET', 'JANUS_ADMIN_KEY', 'MESH_MAX_VIEWERS', 'JANUS_RTP_PORT_RANGE', 'JANUS_INTERFACE', 'JANUS_NAT_1_1',
    'RESUME_SECRET', 'RESUME_SECRET_FILE', 'REDIS_URL', 'TRUST_PROXY',
  ].sort());
  const dir = t.testdir({ '.env': example });
  t.same(loadConfig({}, join(dir, '.env')), load({}), 'empty values in .env count as unset');
});

t.test('SFU: mode, an external Janus, a managed one\'s public-host settings', async (t) => {
  const secret = 's'.repeat(16);
  const key = 'k'.repeat(16);
  t.equal(load({ SFU: 'off' }).sfu.mode, 'off');
  t.equal(load({ SFU: 'janus' }).sfu.mode, 'janus');
  t.same(load({ JANUS_URL: 'ws://127.0.0.1:8188', JANUS_API_SECRET: secret, JANUS_ADMIN_KEY: key }).sfu.external, { urls: ['ws://127.0.0.1:8188'], apiSecret: secret, adminKey: key });
  t.same(
    load({ JANUS_URLS: 'ws://10.0.0.5:8188, wss://janus-2.internal/janus', JANUS_API_SECRET: secret, JANUS_ADMIN_KEY: key }).sfu.external,
    { urls: ['ws://10.0.0.5:8188', 'wss://janus-2.internal/janus'], apiSecret: secret, adminKey: key },
    'JANUS_URLS: several, in order, one secret for all',
  );
  t.equal(load({}).sfu.instanceMaxViewers, 0, 'JANUS_MAX_VIEWERS defaults to 0: no cascading');
  t.equal(load({ JANUS_MAX_VIEWERS: '150' }).sfu.instanceMaxViewers, 150);
  t.same(load({ JANUS_RTP_PORT_RANGE: '20000-40000', JANUS_INTERFACE: 'eth0, eth1', JANUS_NAT_1_1: '203.0.113.7' }).sfu.managed, {
    rtpPortRange: { min: 20000, max: 40000 },
    iceInterfaces: ['eth0', 'eth1'],
    nat11: ['203.0.113.7'],
  });
  t.equal(load({ MESH_MAX_VIEWERS: '0' }).meshMaxViewers, 0, 'MESH_MAX_VIEWERS=0: the SFU from the first watcher');
  t.ok(Object.isFrozen(load({}).sfu.managed), 'frozen');
});

t.test('SFU: bad values are refused, naming the variable', async (t) => {
  refuses(t, { SFU: 'mediasoup' }, 'SFU');
  refuses(t, { JANUS_URL: 'http://127.0.0.1:8088', JANUS_API_SECRET: 's'.repeat(16), JANUS_ADMIN_KEY: 'k'.repeat(16) }, 'JANUS_URL');
  refuses(t, { JANUS_URL: 'ws://127.0.0.1:8188' }, 'JANUS_URL');
  refuses(t, { JANUS_URLS: 'ws://127.0.0.1:8188,ws://127.0.0.1:8189' }, 'JANUS_URLS');
  refuses(t, { JANUS_URLS: 'ws://127.0.0.1:8188,http://127.0.0.1:8088', JANUS_API_SECRET: 's'.repeat(16), JANUS_ADMIN_KEY: 'k'.repeat(16) }, 'JANUS_URLS');
  refuses(t, { JANUS_URL: 'ws://127.0.0.1:8188', JANUS_URLS: 'ws://127.0.0.1:8189', JANUS_API_SECRET: 's'.repeat(16), JANUS_ADMIN_KEY: 'k'.repeat(16) }, 'JANUS_URLS');
  refuses(t, { JANUS_MAX_VIEWERS: '-1' }, 'JANUS_MAX_VIEWERS');
  refuses(t, { JANUS_API_SECRET: 's'.repeat(16) }, 'JANUS_API_SECRET');
  refuses(t, { JANUS_URL: 'ws://127.0.0.1:8188', JANUS_API_SECRET: 'short', JANUS_ADMIN_KEY: 'k'.repeat(16) }, 'JANUS_API_SECRET');
  refuses(t, { MESH_MAX_VIEWERS: '-1' }, 'MESH_MAX_VIEWERS');
  refuses(t, { JANUS_RTP_PORT_RANGE: '40000-20000' }, 'JANUS_RTP_PORT_RANGE');
  refuses(t, { JANUS_RTP_PORT_RANGE: '80-90' }, 'JANUS_RTP_PORT_RANGE');
  refuses(t, { JANUS_RTP_PORT_RANGE: '20000' }, 'JANUS_RTP_PORT_RANGE');
  refuses(t, { JANUS_INTERFACE: 'eth0;rm' }, 'JANUS_INTERFACE');
  refuses(t, { JANUS_NAT_1_1: 'example.com' }, 'JANUS_NAT_1_1');
});
