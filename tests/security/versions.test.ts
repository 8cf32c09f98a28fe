/**
 * The installed `ws` (every copy, through `overrides`) has the 2024–2026 advisories fixed, and Fastify is at least
 * 5.8: reads the versions that were actually installed, not the ranges in package.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import t from 'tap';

const require = createRequire(import.meta.url);

/** The version of `name` as `from` (a module path) resolves it. */
function versionOf(name: string, from: string): string {
  const resolved = createRequire(require.resolve(from)).resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(resolved, 'utf8')) as { version: string }).version;
}

/** a >= b for x.y.z versions. */
function atLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return true;
}

t.test('ws >= 8.21.1 everywhere it is loaded from; fastify >= 5.8', async (t) => {
  for (const from of ['ws', '@fastify/websocket', 'puppeteer-core']) {
    const version = from === 'ws' ? versionOf('ws', 'ws') : versionOf('ws', from);
    t.ok(atLeast(version, '8.21.1'), `ws ${version} (as ${from} loads it)`);
  }
  const fastify = versionOf('fastify', 'fastify');
  t.ok(atLeast(fastify, '5.8.0'), `fastify ${fastify}`);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { overrides?: Record<string, string> };
  t.equal(pkg.overrides?.ws, '$ws', 'every dependency gets our ws');
});
