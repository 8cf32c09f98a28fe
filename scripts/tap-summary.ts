/**
 * The closing lines of `npm test`, read from tap's TAP output (TAP 14, nested subtests indented by 4 spaces):
 *
 *   failed: tests/a.test.ts › a subtest › an assertion | tests/b.test.ts › …   (only when something failed)
 *   N passed, N failed, N skipped
 *
 * The first names every failing test on one line, so a flaky one cannot hide in a long log; the second is tap's own
 * final count in the plain form CI reads. Only the deepest failures are named: a subtest that failed because one of
 * its assertions failed is not named again.
 *
 * Usage: `tsx scripts/tap-summary.ts tmp/tap-output.txt`
 */
import { readFileSync } from 'node:fs';

/** One failing test point: the names from the file down to the assertion. */
export type FailurePath = string[];

/**
 * The deepest failing test points of a TAP stream.
 *
 * @param tap the whole output of `tap --reporter=tap`
 * @returns each failure's path of names, outermost first, in the order they appear
 */
export function failures(tap: string): FailurePath[] {
  const subtests: string[] = []; // subtests[depth] = name of the subtest open at that depth
  const found: FailurePath[] = [];
  let inYaml = false; // a failure's YAML diagnostics (between `---` and `...`) may quote source lines: skip them
  for (const line of tap.split('\n')) {
    const trimmed = line.trim();
    if (inYaml) {
      inYaml = trimmed !== '...';
      continue;
    }
    if (trimmed === '---') {
      inYaml = true;
      continue;
    }
    const depth = Math.floor((line.length - line.trimStart().length) / 4);
    const text = line.trim();
    const subtest = /^# Subtest: (.*)$/.exec(text);
    if (subtest) {
      subtests.length = depth;
      subtests[depth] = subtest[1]!;
      continue;
    }
    // The description ends at the first unescaped `#` (a directive such as `# time=…` or `# TODO`); `\#` is a `#`.
    const notOk = /^not ok \d+(?: - ((?:[^#\\]|\\.)*?))?\s*(#.*)?$/.exec(text);
    if (!notOk) continue;
    const name = (notOk[1]?.replace(/\\(.)/g, '$1') ?? '(unnamed)') + (notOk[2] && /timeout|time out/i.test(notOk[2]) ? ' (timed out)' : '');
    found.push([...subtests.slice(0, depth), name]);
  }
  // A subtest's own "not ok" line repeats the name of the subtest whose failures were already listed: keep the deepest.
  return found.filter((path, i) => {
    const asParent = path.slice(0, -1).concat(path[path.length - 1]!.replace(/ \(timed out\)$/, ''));
    return !found.some((other, j) => j !== i && other.length > asParent.length && asParent.every((n, k) => other[k] === n));
  });
}

/**
 * tap's final count, `# { total: N, pass: N, fail: N, skip: N, todo: N }`.
 *
 * @returns null when the stream has none (tap died before the end)
 */
export function finalCount(tap: string): { pass: number; fail: number; skip: number } | null {
  const all = [...tap.matchAll(/^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?(?:, todo: (\d+))?/gm)];
  const m = all.pop();
  if (!m) return null;
  return { pass: Number(m[2] ?? 0), fail: Number(m[3] ?? 0), skip: Number(m[4] ?? 0) + Number(m[5] ?? 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tap = readFileSync(process.argv[2]!, 'utf8');
  const failed = failures(tap);
  if (failed.length > 0) console.log(`failed: ${failed.map((p) => p.join(' › ')).join(' | ')}`);
  const count = finalCount(tap);
  console.log(count ? `${count.pass} passed, ${count.fail} failed, ${count.skip} skipped` : '0 passed, 1 failed');
}
