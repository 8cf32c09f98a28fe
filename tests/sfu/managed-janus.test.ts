/**
 * The managed Janus, for real: it starts with OnAir's config and fresh secrets, its log lines go through pino with no
 * secret in them (nor on its command line), it is restarted after a SIGKILL, it stops with `stop()`, and it dies
 * with the process that started it, even a SIGKILLed one (no orphaned Janus).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import Janode from 'janode';
import t from 'tap';
import { fromJanusError } from '../../server/sfu/errors.ts';
import { startManagedJanus } from '../../server/sfu/managed-janus.ts';
import { capturedLogger, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { startScript } from '../helpers/run-script.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { log, lines } = capturedLogger();
  const janus = await startManagedJanus({
    log,
    managed: { rtpPortRange: { min: 40000, max: 40100 }, iceInterfaces: [SFU_INTERFACE], nat11: [] },
    restartDelayMs: { first: 50, max: 500 },
  });
  t.teardown(() => janus.stop());
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  t.test('it runs with its own config and fresh secrets, which never reach a log line or its command line', async (t) => {
    const pid = janus.pid();
    t.ok(pid && alive(pid), 'a Janus process runs');
    const { url, apiSecret, adminKey } = janus.target();
    t.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/, 'its API WebSocket is on loopback');
    t.ok(apiSecret.length >= 32 && adminKey.length >= 32 && apiSecret !== adminKey, 'random secrets');
    t.ok(lines.some((l) => (JSON.parse(l) as { janus?: string }).janus?.includes('VideoRoom plugin initialized')), "Janus's own log lines go through pino");
    const disabled = lines.filter((l) => l.includes("Plugin 'libjanus_streaming.so' has been disabled"));
    t.ok(disabled.length > 0 && disabled.every((l) => JSON.parse(l).level === 20), 'every other plugin is disabled, which is expected: logged at debug');
    for (const secret of [apiSecret, adminKey]) t.notOk(lines.some((l) => l.includes(secret)), 'no log line holds a secret');
    t.notOk(readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(apiSecret), 'nor the command line');

    const connection = await Janode.connect({ address: { url, apisecret: apiSecret }, max_retries: 0 });
    const session = await connection.create();
    t.ok(session.id > 0, 'the API secret opens a session');
    await session.destroy();
    await connection.close();
  });

  t.test('a request without the API secret is refused: sfu_unauthorized', async (t) => {
    const connection = await Janode.connect({ address: { url: janus.target().url, apisecret: 'wrong-secret-wrong-secret' }, max_retries: 0 });
    const err = await connection.create().catch((e: unknown) => e);
    t.equal(fromJanusError(err).code, 'sfu_unauthorized', 'sfu_unauthorized');
    t.equal(fromJanusError(err).janusCode, 403, "Janus's 403");
    await connection.close();
  });

  t.test('killed, it is restarted', async (t) => {
    const pid = janus.pid()!;
    const exited = new Promise<{ signal: string | null }>((resolve) => janus.once('exit', resolve));
    const ready = new Promise<number>((resolve) => janus.once('ready', resolve));
    process.kill(pid, 'SIGKILL');
    t.equal((await exited).signal, 'SIGKILL', 'the death is reported');
    const next = await ready;
    t.not(next, pid, 'a new process');
    t.equal(janus.pid(), next, 'pid() names it');
    t.ok(lines.some((l) => /Janus exited; restarting it/.test(l)), 'logged');
  });

  t.test('stop ends it for good', async (t) => {
    const pid = janus.pid()!;
    let restarted = false;
    janus.once('ready', () => (restarted = true));
    await janus.stop();
    t.notOk(alive(pid), 'the process is gone');
    t.equal(janus.pid(), null, 'pid() is null');
    t.notOk(restarted, 'not restarted');
    await janus.stop();
    t.pass('stop is idempotent');
  });

  t.test('its owner SIGKILLed, it dies too: no orphaned Janus', async (t) => {
    const owner = startScript('tests/sfu/fixtures/janus-owner.ts');
    let out = '';
    owner.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
    while (!/janus \d+\n/.test(out)) await once(owner.stdout, 'data');
    const pid = Number(/janus (\d+)/.exec(out)![1]);
    t.ok(alive(pid), `its Janus (${pid}) runs`);
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    const dead = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return true;
      }
    };
    while (!dead()) await new Promise((resolve) => setTimeout(resolve, 50));
    t.pass('Janus is gone (or a zombie awaiting its reaper)');
  });
}
