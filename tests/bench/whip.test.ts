/**
 * `npm run bench -- --quick --parts whip` end to end: with the real Janus on the test namespace's veth, a GStreamer
 * WHIP encoder and a Chromium broadcaster page; the watch pages' first frames are measured for both, the clock
 * encoder's frames are read back for glass to glass, and the report states the goal. No figure is checked against a
 * speed; of the clock frames, at most 10 % may be misread (a clock the encoding garbles measures nothing).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { BenchResults } from '../../scripts/bench/results.ts';
import { bench } from '../helpers/bench-run.ts';
import { sfuSkipReason } from '../helpers/janus.ts';

const skip = sfuSkipReason();
t.test('--quick --parts whip measures first frames and glass to glass', { skip: skip ?? false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-bench-whip-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = await bench(['--quick', '--parts', 'whip', '--out-dir', dir]);
  t.equal(run.status, 0, run.stderr);
  t.notMatch(run.stderr, /glass to glass not measured/, 'glass to glass measured');
  const whip = (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults).whip!;
  t.ok(whip.whipTtffMs && whip.pageTtffMs, 'first frames measured for the encoder and the page');
  const glass = whip.glassToGlassMs!;
  t.equal(glass.count, 90, 'every clock frame read');
  t.ok(whip.glassMisread <= 9, `the clock is readable: ${whip.glassMisread} of ${90 + whip.glassMisread} frames misread (at most 10 %)`);
  const markdown = readFileSync(join(dir, 'RESULTS.md'), 'utf8');
  t.match(markdown, /\n## WHIP ingest\n/);
  t.match(markdown, /Glass to glass .* p50 \d/, 'the report gives it');
  t.notMatch(markdown, /NaN|undefined/, 'no unformatted value');
});
