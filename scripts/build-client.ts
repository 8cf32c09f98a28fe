/**
 * Bundles the pages' TypeScript with esbuild and copies their HTML, CSS and favicon into `dist/public/`, which the
 * server serves. `npm run build`; `--watch` rebuilds on change.
 *
 * Each page is its own build, so a page's bundle holds everything its first run needs and nothing is fetched in a
 * second round trip before it starts; what a page loads later with `import()` (the watch page's chat, stats overlay
 * and diagnosis) becomes a chunk named by its content hash under `chunks/`, which the server lets browsers cache for
 * good. Code the bundle shares with such a chunk goes into a chunk of its own, which the page's HTML names in a
 * `<link rel="modulepreload">`, so the browser fetches it alongside the bundle rather than after it. Every text file is also written precompressed (`.br`, Brotli, and `.gz`, gzip) for `@fastify/static`'s
 * `preCompressed`.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'public');

/** The pages' entry points: output name → source. */
const ENTRIES = {
  broadcast: 'client/broadcast/main.ts',
  watch: 'client/watch/main.ts',
  embed: 'client/embed/main.ts',
  status: 'client/status/main.ts',
};
const STATIC_FILES = ['broadcast.html', 'watch.html', 'embed.html', 'status.html', 'styles.css', 'favicon.svg'];
/** Files worth compressing (not source maps: only developer tools read them). */
const COMPRESSIBLE = /\.(html|css|js|svg)$/;

function options(name: string, entry: string): esbuild.BuildOptions {
  return {
    entryPoints: { [name]: join(root, entry) },
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: ['chrome110', 'firefox115', 'safari16'],
    sourcemap: true,
    minify: true,
    outdir: out,
    logLevel: 'warning',
    metafile: true,
  };
}

/** The chunks a build's entry imports statically (directly or through other chunks), as URL paths. */
function staticChunks(metafile: esbuild.Metafile, name: string): string[] {
  const found = new Set<string>();
  const visit = (output: string) => {
    for (const i of metafile.outputs[output]?.imports ?? []) {
      if (i.kind === 'import-statement' && !found.has(i.path)) {
        found.add(i.path);
        visit(i.path);
      }
    }
  };
  const entry = Object.keys(metafile.outputs).find((o) => o.endsWith(`/${name}.js`));
  if (entry) visit(entry);
  return [...found].map((path) => `/${path.slice(path.indexOf('chunks/'))}`);
}

/** Name `chunks` in `page`'s HTML as module preloads, right after its script. */
function preloadChunks(page: string, script: string, chunks: string[]): void {
  const html = readFileSync(page, 'utf8');
  const tag = `<script type="module" src="/${script}"></script>`;
  if (!html.includes(tag)) throw new Error(`${page} has no ${tag}`);
  const links = chunks.map((href) => `\n  <link rel="modulepreload" href="${href}">`).join('');
  writeFileSync(page, html.replace(tag, `${tag}${links}`));
}

/** Write `file.br` and `file.gz` next to every compressible file under `dir`. */
export function precompress(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) precompress(path);
    else if (COMPRESSIBLE.test(name)) {
      const body = readFileSync(path);
      writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    }
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of STATIC_FILES) cpSync(join(root, 'client', file), join(out, file));

if (process.argv.includes('--watch')) {
  for (const [name, entry] of Object.entries(ENTRIES)) await (await esbuild.context(options(name, entry))).watch();
  process.stdout.write(`watching client/ → ${out} (uncompressed)\n`);
} else {
  await Promise.all(
    Object.entries(ENTRIES).map(async ([name, entry]) => {
      const { metafile } = await esbuild.build(options(name, entry));
      preloadChunks(join(out, `${name}.html`), `${name}.js`, staticChunks(metafile!, name));
    }),
  );
  precompress(out);
}
