/**
 * The deployment's systemd units (`deploy/systemd/`): each checked by `systemd-analyze verify` where it is installed,
 * and the Janus instance unit read key by key: what it runs, as whom, how it restarts and how it is confined.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';

const run = promisify(execFile);
/** Why `command` cannot be used here, or false when it answers `arg`. */
const missing = (command: string, arg: string) => (spawnSync(command, [arg]).status === 0 ? false : `${command} is not installed`);
const unitPath = (name: string) => new URL(`../../deploy/systemd/${name}`, import.meta.url).pathname;

/** A unit file's settings: section → key → values in order (a key may repeat); comments apart. */
function parseUnit(text: string): { sections: Map<string, Map<string, string[]>>; comments: string } {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  const comments: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#') || line.startsWith(';')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`not a unit file line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return { sections, comments: comments.join(' ') };
}

const janusUnit = parseUnit(readFileSync(unitPath('onair-janus@.service'), 'utf8'));
const nodeUnit = parseUnit(readFileSync(unitPath('onair@.service'), 'utf8'));
const service = (unit: ReturnType<typeof parseUnit>) => unit.sections.get('Service')!;
const one = (unit: ReturnType<typeof parseUnit>, key: string) => service(unit).get(key)?.at(-1);

t.test('onair-janus@: one Janus per instance name, from its own config folder, as its own user', async (t) => {
  t.equal(one(janusUnit, 'ExecStart'), '/usr/bin/janus -F /etc/onair/janus-%i --disable-colors');
  t.equal(one(janusUnit, 'User'), 'onair-janus', 'its own user');
  t.equal(one(janusUnit, 'Group'), 'onair-janus');
  t.equal(one(janusUnit, 'Restart'), 'on-failure');
  t.same(janusUnit.sections.get('Install')?.get('WantedBy'), ['multi-user.target']);
  t.match(janusUnit.comments, /janus\.service must stay disabled/, "says Debian's janus.service stays off");
  t.same(janusUnit.sections.get('Unit')?.get('Conflicts'), ['janus.service'], 'and never runs beside it');
});

t.test('onair-janus@ is confined at least as the OnAir node is', async (t) => {
  for (const key of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'LimitNOFILE']) {
    t.equal(one(janusUnit, key), one(nodeUnit, key), `${key}=${one(nodeUnit, key)}`);
  }
  for (const key of ['PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectControlGroups']) t.equal(one(janusUnit, key), 'yes', key);
});

t.test("the flags it passes are Janus's own", { skip: missing('janus', '--help') }, async (t) => {
  const help = (await run('janus', ['--help'])).stdout;
  for (const flag of one(janusUnit, 'ExecStart')!.split(' ').filter((a) => a.startsWith('-'))) {
    t.match(help, new RegExp(`(^|[ ,])${flag}[ ,=]`, 'm'), `janus --help lists ${flag}`);
  }
});

t.test('systemd-analyze verify: both units, as instances, without a warning', { skip: missing('systemd-analyze', '--version') }, async (t) => {
  const dir = t.testdir();
  for (const [template, instance] of [
    ['onair-janus@.service', 'onair-janus@1.service'],
    ['onair@.service', 'onair@3001.service'],
  ] as const) {
    copyFileSync(unitPath(template), join(dir, instance));
    const result = await run('systemd-analyze', ['verify', join(dir, instance)]).catch((err: { code: number; stderr: string }) => err);
    t.equal('code' in result ? result.code : 0, 0, `${template}: verified`);
    t.equal(result.stderr, '', `${template}: no warning`);
  }
});
