/**
 * Bundles the pages' TypeScript with esbuild and copies their HTML and CSS into `dist/public/`, which the server
 * serves. `npm run build`; `--watch` rebuilds on change.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'public');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ['broadcast.html', 'watch.html', 'status.html', 'styles.css']) cpSync(join(root, 'client', file), join(out, file));

const options: esbuild.BuildOptions = {
  entryPoints: { broadcast: join(root, 'client/broadcast/main.ts'), watch: join(root, 'client/watch/main.ts'), status: join(root, 'client/status/main.ts') },
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  sourcemap: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
};

if (process.argv.includes('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  process.stdout.write(`watching client/ → ${out}\n`);
} else {
  await esbuild.build(options);
}
