/**
 * Starting the configured SFU: `off` gives none (said in the log); `auto` with Janus installed starts a managed one
 * and connects; an external Janus (`JANUS_URL` + secrets) is connected to; `close()` stops what it started.
 */
import t from 'tap';
import { loadConfig } from '../../server/config.ts';
import { startManagedJanus } from '../../server/sfu/managed-janus.ts';
import { startSfu } from '../../server/sfu/sfu.ts';
import { capturedLogger, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';

const sfuConfig = (env: Record<string, string>) => loadConfig(env, null).sfu;

t.test('SFU=off: none, said once', async (t) => {
  const { log, lines } = capturedLogger();
  t.equal(await startSfu(sfuConfig({ SFU: 'off' }), log), null);
  t.equal(lines.filter((l) => /SFU off/.test(l)).length, 1, 'logged once');
});

const skip = sfuSkipReason();
t.test('SFU=auto with Janus installed: a managed Janus, connected; close stops it', { skip: skip ?? false }, async (t) => {
  const { log } = capturedLogger();
  const sfu = await startSfu(sfuConfig({ SFU: 'auto', JANUS_INTERFACE: SFU_INTERFACE }), log);
  t.ok(sfu, 'an SFU');
  const client = sfu!.pool.instances[0]!.client;
  t.equal(sfu!.pool.instances.length, 1, 'one instance');
  t.equal(client.connection.state, 'up', 'connected');
  const pid = sfu!.managed!.pid()!;
  const room = await client.createRoom();
  t.match(room, /^[A-Za-z0-9_-]{22}$/, 'rooms get 128-bit random ids');
  await sfu!.close();
  t.equal(client.connection.state, 'closed', 'connection closed');
  t.equal(sfu!.pool.state, 'closed', 'the pool says so');
  t.throws(() => process.kill(pid, 0), 'Janus stopped');
});

t.test('an external Janus (JANUS_URL): connected to, not started', { skip: skip ?? false }, async (t) => {
  const { log } = capturedLogger();
  const janus = await startManagedJanus({ log, managed: { rtpPortRange: null, iceInterfaces: [SFU_INTERFACE], nat11: [] } });
  t.teardown(() => janus.stop());
  const target = janus.target();
  const sfu = await startSfu(sfuConfig({ JANUS_URL: target.url, JANUS_API_SECRET: target.apiSecret, JANUS_ADMIN_KEY: target.adminKey }), log);
  t.equal(sfu!.managed, null, 'nothing managed');
  const client = sfu!.pool.instances[0]!.client;
  await client.connection.whenUp();
  t.ok(await client.createRoom(), 'rooms are created with its admin key');
  await sfu!.close();
  t.ok(janus.pid(), 'the external Janus still runs after close');
});

t.test('several external Janus (JANUS_URLS): one instance each, named, with their RTP host; one down leaves the pool up', { skip: skip ?? false }, async (t) => {
  const { log } = capturedLogger();
  const secrets = { apiSecret: 'a'.repeat(24), adminKey: 'k'.repeat(24) };
  const managed = { rtpPortRange: null, iceInterfaces: [SFU_INTERFACE], nat11: [] };
  const [one, two] = await Promise.all([startManagedJanus({ log, managed, secrets }), startManagedJanus({ log, managed, secrets })]);
  t.teardown(async () => {
    await one.stop();
    await two.stop();
  });
  const urls = [one.target().url, two.target().url];
  const sfu = await startSfu(sfuConfig({ JANUS_URLS: urls.join(','), JANUS_API_SECRET: secrets.apiSecret, JANUS_ADMIN_KEY: secrets.adminKey }), log);
  t.teardown(() => sfu!.close());
  const pool = sfu!.pool;
  t.same(pool.instances.map((i) => [i.name, i.rtpHost]), [['janus-1', '127.0.0.1'], ['janus-2', '127.0.0.1']], 'named in order, RTP to their hosts');
  await Promise.all(pool.instances.map((i) => i.client.connection.whenUp()));
  t.equal(pool.state, 'up');
  for (const instance of pool.instances) t.ok(await instance.client.createRoom(), `${instance.name} creates rooms`);
  const lost = new Promise((resolve) => pool.once('down', resolve));
  await one.stop();
  t.equal(await lost, pool.instances[0], 'the stopped one is down');
  t.equal(pool.state, 'up', 'the pool is still up');
  t.equal(pool.leastLoaded(), pool.instances[1], 'rooms go to the live one');
});
