/**
 * `npm run bench -- --quick --parts layers` end to end: with the real Janus on the test namespace's veth, a Chromium
 * broadcaster at 1280×720 and two watch pages, one of them limited by `tc`: both windows (pinned to the top layer,
 * then with layer selection) are measured for both watchers, and the report states the goal. No figure is checked
 * against a speed or a ratio (those are the bench's); only that the limit is real: pinned, the constrained watcher
 * ends on the top layer, and with selection on a lower one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { BenchResults } from '../../scripts/bench/results.ts';
import { bench } from '../helpers/bench-run.ts';
import { sfuSkipReason } from '../helpers/janus.ts';

const skip = sfuSkipReason();
t.test('--quick --parts layers measures a constrained watcher pinned and with layer selection', { skip: skip ?? false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-bench-layers-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = await bench(['--quick', '--parts', 'layers', '--out-dir', dir]);
  t.equal(run.status, 0, run.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
  const layers = results.layers!;
  t.same(layers.windows.map((w) => w.mode), ['pinned', 'selected'], 'both windows, in one run');
  const [pinned, selected] = layers.windows;
  t.equal(pinned!.constrained.frameHeight, 720, 'pinned: the constrained watcher stays on the top layer');
  t.ok((selected!.constrained.frameHeight ?? 720) < 720, `with selection: a lower layer (${selected!.constrained.frameHeight}p)`);
  for (const w of layers.windows) t.ok(w.reference.framesDecodedPerMin > 0, `${w.mode}: the reference watcher decodes`);
  const markdown = readFileSync(join(dir, 'RESULTS.md'), 'utf8');
  t.match(markdown, /\n## Layers: a constrained watcher through the SFU\n/);
  t.match(markdown, /goal ≥ 5×/, 'the goal is stated');
  t.notMatch(markdown, /NaN|undefined/, 'no unformatted value');
});
