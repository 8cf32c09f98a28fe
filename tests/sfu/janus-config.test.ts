/** OnAir's Janus config: what it opens (VideoRoom and a loopback WebSocket), what it keeps shut, and its checks. */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { findJanusLibFolder, isWsAclEntry, renderJanusConfig, writeJanusConfig, type JanusConfigOptions } from '../../server/sfu/janus-config.ts';

/** A fake Janus library folder with the given shared objects. */
function fakeLib(dir: string, files: Record<'plugins' | 'transports' | 'events' | 'loggers', string[]>): string {
  for (const [sub, names] of Object.entries(files)) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const name of names) writeFileSync(join(dir, sub, name), '');
  }
  return dir;
}

const options = (dir: string, more: Partial<JanusConfigOptions> = {}): JanusConfigOptions => ({
  configsFolder: dir,
  libFolder: fakeLib(join(dir, 'lib'), {
    plugins: ['libjanus_videoroom.so', 'libjanus_streaming.so', 'libjanus_streaming.so.1'],
    transports: ['libjanus_websockets.so', 'libjanus_http.so'],
    events: ['libjanus_sampleevh.so'],
    loggers: ['libjanus_jsonlog.so'],
  }),
  wsPort: 18188,
  apiSecret: 'api-secret-"quoted"',
  adminKey: 'admin-key',
  rtpPortRange: null,
  iceInterfaces: [],
  nat11: [],
  adminApi: null,
  ...more,
});

t.test('VideoRoom and the WebSocket transport only; everything else disabled', async (t) => {
  const files = renderJanusConfig(options(t.testdir()));
  t.same(Object.keys(files).sort(), ['janus.jcfg', 'janus.plugin.videoroom.jcfg', 'janus.transport.websockets.jcfg']);
  const core = files['janus.jcfg']!;
  t.match(core, /plugins: \{\n\tdisable = "libjanus_streaming\.so"\n\}/, 'other plugins disabled (shared objects ending in .so)');
  t.match(core, /transports: \{\n\tdisable = "libjanus_http\.so"\n\}/, 'other transports disabled');
  t.match(core, /disable = "libjanus_sampleevh\.so"/, 'event handlers disabled');
  t.match(core, /disable = "libjanus_jsonlog\.so"/, 'loggers disabled');
  t.match(core, /api_secret = "api-secret-\\"quoted\\""/, 'the API secret, quoted for libconfig');
  t.notMatch(core, /admin_secret/, 'no admin secret: no Admin API');
  t.match(core, /ipv6 = false/, 'IPv6 off');
  t.match(core, /ignore_mdns = true/);
  t.notMatch(core, /ice_enforce_list|nat_1_1_mapping|rtp_port_range/, 'no interface, NAT or port range unless asked');
  const ws = files['janus.transport.websockets.jcfg']!;
  t.match(ws, /ws_port = 18188/);
  t.match(ws, /ws_ip = "127\.0\.0\.1"/, 'bound to loopback');
  t.match(ws, /ws_acl = "127\."/, 'and only loopback clients allowed');
  t.match(ws, /wss = false/);
  t.match(ws, /admin_ws = false/, 'Admin API off');
  const videoroom = files['janus.plugin.videoroom.jcfg']!;
  t.match(videoroom, /admin_key = "admin-key"/);
  t.match(videoroom, /lock_rtp_forward = true/);
  t.match(videoroom, /string_ids = true/, 'string room ids (random, not guessable)');
  t.notMatch(videoroom, /room-/, 'no sample room (and no 128 kbit/s cap)');
});

t.test('public-host settings and the tests-only Admin API', async (t) => {
  const files = renderJanusConfig(
    options(t.testdir(), { rtpPortRange: { min: 20000, max: 20100 }, iceInterfaces: ['eth0', 'eth1'], nat11: ['203.0.113.7'], adminApi: { port: 17188, secret: 's3' } }),
  );
  t.match(files['janus.jcfg'], /rtp_port_range = "20000-20100"/);
  t.match(files['janus.jcfg'], /ice_enforce_list = "eth0,eth1"/);
  t.match(files['janus.jcfg'], /nat_1_1_mapping = "203\.0\.113\.7"/);
  t.match(files['janus.jcfg'], /admin_secret = "s3"/);
  t.match(files['janus.transport.websockets.jcfg'], /admin_ws = true\n\tadmin_ws_port = 17188\n\tadmin_ws_ip = "127\.0\.0\.1"\n\tadmin_ws_acl = "127\."/);
});

t.test("an external instance's WebSocket: its address and ACL (a managed Janus keeps loopback)", async (t) => {
  const ws = renderJanusConfig(options(t.testdir(), { wsIp: '10.0.0.5', wsAcl: ['10.0.0.', '192.168.1.7'] }))['janus.transport.websockets.jcfg'];
  t.match(ws, /ws_ip = "10\.0\.0\.5"/);
  t.match(ws, /ws_acl = "10\.0\.0\.,192\.168\.1\.7"/, 'comma-separated, as Janus splits it');
  t.match(ws, /admin_ws = false/, 'still no Admin API');
});

t.test('WebSocket address and ACL entries are checked', async (t) => {
  for (const good of ['127.', '10.', '10.0.0.', '10.0.0.7', 'fd00:', 'fd00:12:', '::1']) t.ok(isWsAclEntry(good), good);
  for (const bad of ['', '10', '10.0.0', '256.', '10..', '1.2.3.4.', 'eth0', '*', '10.0.0.0/8', ' 10.', 'fd00', 'g:']) t.notOk(isWsAclEntry(bad), `${JSON.stringify(bad)} refused`);
  const dir = t.testdir();
  t.throws(() => renderJanusConfig(options(dir, { wsIp: 'localhost' })), RangeError, 'a host name is not an address');
  t.throws(() => renderJanusConfig(options(dir, { wsIp: '10.0.0.256' })), RangeError);
  t.throws(() => renderJanusConfig(options(dir, { wsAcl: [] })), RangeError, 'an empty ACL would let everyone in');
  t.throws(() => renderJanusConfig(options(dir, { wsAcl: ['10.0.0.', 'x"'] })), RangeError);
});

t.test('bad ports are refused', async (t) => {
  const dir = t.testdir();
  t.throws(() => renderJanusConfig(options(dir, { wsPort: 0 })), RangeError);
  t.throws(() => renderJanusConfig(options(dir, { wsPort: 70000 })), RangeError);
  t.throws(() => renderJanusConfig(options(dir, { rtpPortRange: { min: 30000, max: 20000 } })), RangeError);
});

t.test('written files are readable by their owner only (they hold secrets)', async (t) => {
  const dir = t.testdir();
  writeJanusConfig(options(dir));
  for (const name of ['janus.jcfg', 'janus.transport.websockets.jcfg', 'janus.plugin.videoroom.jcfg']) {
    t.equal(statSync(join(dir, name)).mode & 0o777, 0o600, `${name}: 0600`);
  }
});

t.test('rewriting a folder keeps its files 0600 and leaves nothing else behind', async (t) => {
  const dir = t.testdir();
  writeFileSync(join(dir, 'janus.jcfg'), 'old', { mode: 0o644 });
  chmodSync(join(dir, 'janus.jcfg'), 0o644);
  writeJanusConfig(options(dir, { wsPort: 18189 }));
  t.equal(statSync(join(dir, 'janus.jcfg')).mode & 0o777, 0o600, 'a file that was 0644 is replaced by a 0600 one');
  t.match(readFileSync(join(dir, 'janus.transport.websockets.jcfg'), 'utf8'), /ws_port = 18189/);
  t.same(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no partial file left');
});

t.test('findJanusLibFolder: the first folder with VideoRoom and the WebSocket transport', async (t) => {
  const dir = t.testdir();
  const partial = fakeLib(join(dir, 'a'), { plugins: ['libjanus_videoroom.so'], transports: [], events: [], loggers: [] });
  const full = fakeLib(join(dir, 'b'), { plugins: ['libjanus_videoroom.so'], transports: ['libjanus_websockets.so'], events: [], loggers: [] });
  t.equal(findJanusLibFolder([join(dir, 'none'), partial, full]), full);
  t.equal(findJanusLibFolder([partial]), null);
});
