/**
 * `npm run janus-config`: an external Janus instance's config folder, private (0700, files 0600), with the secrets
 * from the environment only; bad input refused with exit status 2; and a real Janus started from the folder, reached
 * by OnAir's SFU through `JANUS_URLS` on its own address, refusing clients outside its ACL.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CommanderError } from 'commander';
import t from 'tap';
import WebSocket from 'ws';
import { parseCommandLine } from '../../scripts/janus-config/options.ts';
import { loadConfig } from '../../server/config.ts';
import { findJanusLibFolder } from '../../server/sfu/janus-config.ts';
import { startSfu } from '../../server/sfu/sfu.ts';
import { capturedLogger, SFU_ADDRESS, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { freePort } from '../helpers/ports.ts';
import { runScript } from '../helpers/run-script.ts';

const SECRETS = { JANUS_API_SECRET: 'cli-test-api-secret-0123', JANUS_ADMIN_KEY: 'cli-test-admin-key-0123' };
const FILES = ['janus.jcfg', 'janus.plugin.videoroom.jcfg', 'janus.transport.websockets.jcfg'];
const noJanus = findJanusLibFolder() ? false : 'Janus is not installed (apt-get install janus)';

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

t.test('writes a private folder with the hardened settings and the secrets from the environment', { skip: noJanus }, async (t) => {
  const out = join(t.testdir(), 'etc', 'janus-1');
  const args = ['--out', out, '--ws-ip', '127.0.0.1', '--ws-acl', '127.0.0.,10.0.0.', '--ws-port', '8199', '--interface', 'eth0'];
  const run = await runScript('scripts/janus-config.ts', [...args, '--rtp-ports', '20000-40000', '--nat-1-1', '203.0.113.7'], SECRETS);
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /JANUS_URLS entry for the OnAir nodes: ws:\/\/127\.0\.0\.1:8199/);
  t.notMatch(run.stdout + run.stderr, /cli-test-/, 'no secret printed');
  t.equal(statSync(out).mode & 0o777, 0o700, 'the folder: 0700');
  for (const name of FILES) t.equal(statSync(join(out, name)).mode & 0o777, 0o600, `${name}: 0600`);
  const core = read(out, 'janus.jcfg');
  t.match(core, `configs_folder = "${out}"`);
  t.match(core, `api_secret = "${SECRETS.JANUS_API_SECRET}"`);
  t.match(core, /ice_enforce_list = "eth0"/);
  t.match(core, /rtp_port_range = "20000-40000"/);
  t.match(core, /nat_1_1_mapping = "203\.0\.113\.7"/);
  t.match(core, /disable = "[^"]*libjanus_http\.so/, 'the HTTP transport disabled');
  t.notMatch(core, /admin_secret/, 'no Admin API');
  const ws = read(out, 'janus.transport.websockets.jcfg');
  t.match(ws, /ws_port = 8199\n\tws_ip = "127\.0\.0\.1"\n\tws_acl = "127\.0\.0\.,10\.0\.0\."/);
  t.match(ws, /admin_ws = false/);
  t.match(read(out, 'janus.plugin.videoroom.jcfg'), `admin_key = "${SECRETS.JANUS_ADMIN_KEY}"\n\tlock_rtp_forward = true`);
});

t.test('missing or short secrets, a secret as a flag, no --ws-acl off loopback: exit 2, nothing written', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'janus-1');
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--out', out], { JANUS_API_SECRET: '', JANUS_ADMIN_KEY: '' }, /JANUS_API_SECRET: not set/],
    [['--out', out], { ...SECRETS, JANUS_ADMIN_KEY: 'short' }, /JANUS_ADMIN_KEY: use at least 16 characters/],
    [['--out', out, '--api-secret', SECRETS.JANUS_API_SECRET], SECRETS, /unknown option '--api-secret'/],
    [['--out', out, '--ws-ip', '10.0.0.5'], SECRETS, /give --ws-acl/],
    [['--out', out, '--rtp-ports', '40000-20000'], SECRETS, /--rtp-ports <min-max>' argument '40000-20000' is invalid\. ports 1024-65535, min <= max/],
    [[], SECRETS, /required option '--out <dir>'/],
  ];
  for (const [args, env, message] of cases) {
    const run = await runScript('scripts/janus-config.ts', args, env);
    t.equal(run.status, 2, args.join(' ') || '(no arguments)');
    t.match(run.stderr, message);
  }
  t.notOk(existsSync(out), 'nothing written');
});

t.test('each flag is checked', async (t) => {
  const silent = { writeOut: () => {}, writeErr: () => {} };
  const bad = [
    ['--ws-ip', 'janus.local', '--ws-acl', '10.'],
    ['--ws-ip', '10.0.0.5', '--ws-acl', '10.0.0.0/8'],
    ['--ws-acl', ''],
    ['--ws-port', '0'],
    ['--ws-port', '8188x'],
    ['--interface', 'eth0;rm'],
    ['--rtp-ports', '20000'],
    ['--nat-1-1', 'example.com'],
    ['extra'],
  ];
  for (const args of bad) t.throws(() => parseCommandLine(['--out', '/tmp/x', ...args], silent), CommanderError, args.join(' '));
  t.same(
    parseCommandLine(['--out', 'rel/dir']),
    { out: join(process.cwd(), 'rel/dir'), wsIp: '127.0.0.1', wsPort: 8188, wsAcl: ['127.'], iceInterfaces: [], rtpPortRange: null, nat11: [] },
    'defaults: loopback, 8188, an absolute folder',
  );
  t.same(parseCommandLine(['--out', '/x', '--ws-ip', '10.0.0.5', '--ws-acl', '10.0.0.1, 10.0.0.2', '--interface', 'eth0,eth1']), {
    out: '/x',
    wsIp: '10.0.0.5',
    wsPort: 8188,
    wsAcl: ['10.0.0.1', '10.0.0.2'],
    iceInterfaces: ['eth0', 'eth1'],
    rtpPortRange: null,
    nat11: [],
  });
});

/** Start `janus -F dir`; resolves once its API WebSocket listens, rejects if it exits first. */
async function startJanus(dir: string): Promise<{ proc: ChildProcessWithoutNullStreams; lines: string[] }> {
  const proc = spawn('janus', ['-F', dir, '--disable-colors']);
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code, signal) => reject(new Error(`janus exited (${code ?? signal}) before it listened:\n${lines.join('\n')}`)));
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (/Websockets server started \(port \d+\)/i.test(line)) resolve();
      });
    }
  });
  return { proc, lines };
}

/** Whether a WebSocket to `url` from `localAddress` gets an answer to a Janus `info` request before it is closed. */
async function answered(url: string, localAddress: string): Promise<boolean> {
  const ws = new WebSocket(url, 'janus-protocol', { localAddress });
  await once(ws, 'open');
  ws.send(JSON.stringify({ janus: 'info', transaction: 'acl' }));
  const [first] = await Promise.race([once(ws, 'message'), once(ws, 'close').then(() => [null])]);
  ws.terminate();
  return first !== null;
}

t.test('a real Janus runs from the folder on its own address, and OnAir reaches it through JANUS_URLS', { skip: (noJanus || sfuSkipReason()) ?? false }, async (t) => {
  const out = join(t.testdir(), 'janus-1');
  const port = await freePort();
  const args = ['--out', out, '--ws-ip', SFU_ADDRESS, '--ws-acl', '10.77.0.', '--ws-port', String(port), '--interface', SFU_INTERFACE];
  const run = await runScript('scripts/janus-config.ts', args, SECRETS);
  t.equal(run.status, 0, run.stderr);

  const janus = await startJanus(out);
  t.teardown(async () => {
    if (janus.proc.exitCode !== null || janus.proc.signalCode !== null) return;
    const exited = once(janus.proc, 'exit');
    janus.proc.kill('SIGTERM');
    const hard = setTimeout(() => janus.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
  });
  t.ok(janus.lines.some((l) => /VideoRoom plugin initialized/.test(l)), 'VideoRoom loaded');
  t.notOk(janus.lines.some((l) => /Streaming plugin initialized|HTTP transport plugin initialized/i.test(l)), 'nothing else');

  const url = `ws://${SFU_ADDRESS}:${port}`;
  const loopback = connect(port, '127.0.0.1');
  const [err] = (await once(loopback, 'error')) as [NodeJS.ErrnoException];
  t.equal(err.code, 'ECONNREFUSED', 'not listening on loopback: bound to its --ws-ip');
  t.notOk(await answered(url, '127.0.0.1'), 'a client outside --ws-acl is closed unanswered');
  t.ok(await answered(url, SFU_ADDRESS), 'a client inside it is answered');

  const { log } = capturedLogger();
  const sfu = await startSfu(loadConfig({ JANUS_URLS: url, ...SECRETS }, null).sfu, log);
  t.teardown(() => sfu?.close());
  const instance = sfu!.pool.instances[0]!;
  await instance.client.connection.whenUp();
  t.match(await instance.client.createRoom(), /^[A-Za-z0-9_-]{22}$/, 'a room is created with the shared admin key');
});
