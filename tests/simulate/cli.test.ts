import t from 'tap';
import type { Summary } from '../../scripts/simulate/summary.ts';
import { startServer } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';
import { runScript } from '../helpers/run-script.ts';

/** Run `tsx scripts/simulate.ts ...args`; resolves with its exit status and output. */
const simulateCli = (args: string[]) => runScript('scripts/simulate.ts', args);


t.test('--help exits 0', async (t) => {
  const run = await simulateCli(['--help']);
  t.equal(run.status, 0);
  t.match(run.stdout, /Usage: simulate \[options\]/);
});

t.test('a bad option exits 2 and names it on stderr', async (t) => {
  const run = await simulateCli(['--watchers', 'lots']);
  t.equal(run.status, 2);
  t.equal(run.stdout, '');
  t.match(run.stderr, /error: option '--watchers <n>' argument 'lots' is invalid/);
});

t.test('an unreachable server: exit 1, the reason in the JSON summary and on stderr, nothing else on stdout', async (t) => {
  const port = await freePort();
  const run = await simulateCli(['--url', `http://127.0.0.1:${port}`, '--watchers', '2', '--json']);
  t.equal(run.status, 1);
  const summary = JSON.parse(run.stdout) as Summary;
  t.equal(summary.relayUrl, `ws://127.0.0.1:${port}/ws`);
  t.equal(summary.failed, 2);
  t.equal(summary.failures.unreachable?.count, 2);
  t.match(run.stderr, /simulate: 2 of 2 watchers failed \(unreachable × 2: cannot open .*ECONNREFUSED/);
});

t.test('no broadcaster: exit 1 after the timeout, with a text summary', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const run = await simulateCli(['--url', server.httpUrl, '--room', 'nobody', '--watchers', '1', '--timeout', '1']);
  t.equal(run.status, 1);
  t.match(run.stdout, /\n  joined +1\/1\n/);
  t.match(run.stdout, /\nfailures:\n  no_broadcaster × 1: no broadcaster went live in room "nobody" within 1 s\n$/);
});
