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
  t.equal(sfu!.client.connection.state, 'up', 'connected');
  const pid = sfu!.managed!.pid()!;
  const room = await sfu!.client.createRoom();
  t.match(room, /^[A-Za-z0-9_-]{22}$/, 'rooms get 128-bit random ids');
  await sfu!.close();
  t.equal(sfu!.client.connection.state, 'closed', 'connection closed');
  t.throws(() => process.kill(pid, 0), 'Janus stopped');
});

t.test('an external Janus (JANUS_URL): connected to, not started', { skip: skip ?? false }, async (t) => {
  const { log } = capturedLogger();
  const janus = await startManagedJanus({ log, managed: { rtpPortRange: null, iceInterfaces: [SFU_INTERFACE], nat11: [] } });
  t.teardown(() => janus.stop());
  const target = janus.target();
  const sfu = await startSfu(sfuConfig({ JANUS_URL: target.url, JANUS_API_SECRET: target.apiSecret, JANUS_ADMIN_KEY: target.adminKey }), log);
  t.equal(sfu!.managed, null, 'nothing managed');
  await sfu!.client.connection.whenUp();
  t.ok(await sfu!.client.createRoom(), 'rooms are created with its admin key');
  await sfu!.close();
  t.ok(janus.pid(), 'the external Janus still runs after close');
});
