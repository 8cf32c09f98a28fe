/**
 * `scripts/tap-summary.ts`, the closing lines of `npm test`, read against the real output of tap itself: a test file
 * with failures at several depths, an escaped `#` and a timeout is run through tap here, and every failure must be
 * named once, at its deepest point.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { failures, finalCount } from '../scripts/tap-summary.ts';

const run = promisify(execFile);

/** Run tap on one generated test file inside the project (so it resolves `tap`) and return its TAP output. */
async function tapOutput(t: Test, source: string): Promise<{ file: string; tap: string }> {
  mkdirSync('tmp', { recursive: true });
  const dir = mkdtempSync(join('tmp', 'tap-summary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sample.test.ts');
  writeFileSync(file, source);
  // tap exits non-zero when a test fails; its final count may go to stderr when not on a TTY: read both.
  // Without this run's own TAP_* variables, the inner tap is a top-level run with its own final count.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TAP|_TAPJS)/.test(name)));
  const result = await run('node_modules/.bin/tap', ['--reporter=tap', '--disable-coverage', file], { env }).catch(
    (e: { stdout: string; stderr: string }) => e,
  );
  return { file: relative('.', file), tap: `${result.stdout}\n${result.stderr}` };
}

t.test('names every failure at its deepest point, and the final count', async (t) => {
  const { file, tap } = await tapOutput(
    t,
    `import t from 'tap';
t.test('group', async (t) => {
  t.ok(true, 'fine');
  t.equal(1, 2, 'one is two');
  t.test('inner', async (t) => { t.ok(false, 'deep # with a hash'); });
});
t.ok(false, 'top level');
t.test('slow', { timeout: 200 }, () => new Promise(() => {}));
`,
  );
  t.same(
    failures(tap).map((path) => path.join(' › ')),
    [
      `${file} › group › one is two`,
      `${file} › group › inner › deep # with a hash`,
      `${file} › top level`,
      `${file} › slow › test unfinished`,
    ],
  );
  t.same(finalCount(tap), { pass: 1, fail: 4, skip: 0 });
});

t.test('a green run names nothing and counts skips', async (t) => {
  const { tap } = await tapOutput(t, `import t from 'tap';\nt.ok(true, 'a');\nt.test('b', async (t) => { t.pass('c'); });\nt.skip('d');\n`);
  t.same(failures(tap), []);
  t.same(finalCount(tap), { pass: 2, fail: 0, skip: 1 });
});

t.test('a stream cut before the end has no count', async (t) => {
  t.equal(finalCount('TAP version 14\n# Subtest: x\n'), null);
});
