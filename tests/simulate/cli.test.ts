import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Summary } from '../../scripts/simulate/summary.ts';
import { startServer } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';
import { runScript } from '../helpers/run-script.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

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
  t.match(run.stdout, /\n {2}joined +1\/1\n/);
  t.match(run.stdout, /\nfailures:\n {2}no_broadcaster × 1: no broadcaster went live in room "nobody" within 1 s\n$/);
});

t.test('signalling-only watchers against the built-in broadcaster, over two rooms, with --out', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const dir = mkdtempSync(join(tmpdir(), 'onair-simulate-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'summary.json');
  const run = await simulateCli(['--url', server.httpUrl, '--signaling-only', '--broadcaster', 'sim', '--watchers', '40',
    '--ramp', '200', '--rooms', '2', '--duration', '1', '--json', '--out', out]);
  t.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as Summary;
  t.same(JSON.parse(readFileSync(out, 'utf8')), summary, '--out holds the same summary');
  t.same(summary.rooms, ['main-0', 'main-1']);
  t.equal(summary.connected, 40);
  t.equal(summary.connectedRatio, 1);
  t.equal(summary.timesMs.answered?.count, 40);
  t.same(summary.broadcaster.sim?.map((b) => [b.room, b.offers, b.answers, b.candidates]), [['main-0', 20, 20, 20], ['main-1', 20, 20, 20]],
    'every watcher got an offer and every answer and candidate reached its broadcaster');
});

t.test('a broadcaster the relay refuses: a stable code on stderr, exit 1, no summary', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { peer } = await WsPeer.joined(server.wsUrl, 'taken', 'broadcaster');
  t.teardown(() => peer.close());
  const run = await simulateCli(['--url', server.httpUrl, '--room', 'taken', '--signaling-only', '--broadcaster', 'sim', '--watchers', '1']);
  t.equal(run.status, 1);
  t.equal(run.stdout, '');
  t.match(run.stderr, /simulate: refused: the relay refused the simulated broadcaster: broadcaster_exists/);
});

t.test('a small real run: a Chromium broadcaster started by the CLI, two media watchers, the RTP statistics', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const run = await simulateCli(['--url', server.httpUrl, '--broadcaster', 'chromium', '--resolution', '320x240', '--fps', '15',
    '--watchers', '2', '--duration', '3', '--bind-address', '127.0.0.1', '--json']);
  t.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as Summary;
  t.equal(summary.connected, 2);
  t.equal(summary.broadcaster.kind, 'chromium');
  t.ok((summary.broadcaster.cpuPercent ?? 0) > 0, 'the broadcaster CPU is measured');
  t.same(summary.candidateTypes, { host: 1 }, 'loopback host candidates');
  for (const r of summary.results) {
    t.equal(r.video.codec, 'VP8', `watcher ${r.index}: the codec read from the offer and RED`);
    t.ok(r.timings.firstKeyframeMs !== null, `watcher ${r.index}: a keyframe was detected`);
    t.ok((r.video.fps ?? 0) > 0, `watcher ${r.index}: a frame rate from RTP timestamps`);
    t.ok(r.video.expected > 0 && r.video.lossPercent !== null, `watcher ${r.index}: loss from sequence numbers`);
  }
  t.equal(summary.fps?.count, 2);
});
