/**
 * `npm run bench -- --quick --parts restart` end to end: a real node process SIGKILLed and started again under
 * Chromium watch pages playing peer to peer; the part measures both windows and the resume, every page keeps its
 * peer connection, and the report states the goal. No figure is checked against a speed (that is the bench's).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { BenchResults } from '../../scripts/bench/results.ts';
import { bench } from '../helpers/bench-run.ts';

t.test('--quick --parts restart measures the frame gap across a node restart against a calm window', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-bench-restart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = await bench(['--quick', '--parts', 'restart', '--out-dir', dir]);
  t.equal(run.status, 0, run.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
  const restart = results.restart!;
  t.equal(restart.watchers, 2);
  t.ok(restart.calmMaxGapMs > 0 && restart.restartMaxGapMs > 0, 'both windows saw frames');
  t.ok(Number.isFinite(restart.resumeMs), 'the resume is timed');
  t.equal(restart.newPeerConnections, 0, 'every page plays through the peer connection it had before the kill');
  const markdown = readFileSync(join(dir, 'RESULTS.md'), 'utf8');
  t.match(markdown, /\n## A node killed and restarted\n/);
  t.match(markdown, /Goal \(issue 11\): no watcher's picture stops/, 'the goal is stated');
  t.notMatch(markdown, /NaN|undefined/, 'no unformatted value');
});
