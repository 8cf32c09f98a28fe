/**
 * `npm run bench -- --quick --parts audience` end to end: the mesh (adaptation off and on) and the SFU (the real Janus
 * on the test namespace's veth, at 854×480 and with a 1280×720 simulcast broadcaster) each measure at least one step with a Chromium broadcaster and simulated watchers;
 * the late joiner's time to first frame and the escalation's longest freeze are measured; the report and its chart
 * come out well-formed, with the goals stated. No figure is checked against a speed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { BenchResults } from '../../scripts/bench/results.ts';
import { bench } from '../helpers/bench-run.ts';
import { sfuSkipReason } from '../helpers/janus.ts';

const skip = sfuSkipReason();
t.test('--quick --parts audience measures the mesh and the SFU, and reports the goals', { skip: skip ?? false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-bench-audience-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = await bench(['--quick', '--parts', 'audience', '--out-dir', dir]);
  t.equal(run.status, 0, run.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
  const audience = results.audience!;
  t.same(audience.runs.map((r) => r.path), ['mesh', 'mesh-adapt', 'sfu', 'sfu-simulcast'], 'the three paths and the simulcast run, in one run');
  t.same(audience.runs.map((r) => r.capture.height), [480, 480, 480, 720], 'the simulcast run at 720p');
  for (const r of audience.runs) {
    t.ok(r.steps.length > 0, `${r.path}: at least one step measured`);
    t.ok(r.ttffMs !== null, `${r.path}: a late joiner's first frame measured`);
    t.ok(r.ttffBreakdownP50Ms.offer !== undefined && r.ttffBreakdownP50Ms.firstFrame !== undefined, `${r.path}: and its milestones`);
  }
  const sfu = audience.runs[2]!;
  t.ok(sfu.steps.every((s) => s.janusCpuPercent !== null), "Janus's CPU is measured at every SFU step");
  t.ok(audience.escalationMaxGapMs !== null, 'the escalation gap is measured');
  const markdown = readFileSync(join(dir, 'RESULTS.md'), 'utf8');
  t.match(markdown, /\n## Audience: mesh and SFU\n/);
  t.match(markdown, /SFU ≥ 100 viewers at full quality/, 'the goals are stated');
  t.notMatch(markdown, /NaN|undefined/, 'no unformatted value');
  const svg = readFileSync(join(dir, 'audience-cpu.svg'), 'utf8');
  t.match(svg, /<polyline /, 'the chart has lines');
  t.notMatch(svg, /NaN|undefined|Infinity/, 'only numbers');
});
