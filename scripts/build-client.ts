/**
 * Bundles the pages' TypeScript and stylesheet with esbuild into `dist/public/`, which the server serves, with the
 * pages' HTML and the favicon. `npm run build`; `--watch` rebuilds on change.
 *
 * Every script and stylesheet goes under `assets/`, named by its content hash (`watch-3HQ2LQ7K.js`), and the pages'
 * HTML is rewritten to name them: the server lets browsers keep those files for good, so a page opened again (or a
 * second watch page in the same browser) fetches only its HTML before its script runs. Each page is one file: what a
 * page sets up later with `import()` (the watch page's chat, stats overlay and diagnosis) stays in its bundle and
 * runs only when imported. (Split into chunks of their own, the extra module files cost a busy browser more than the
 * few kB they kept out of the bundle: measured with `npm run bench -- --parts ttff`.) Every text file is also
 * written precompressed (`.br`, Brotli, and `.gz`, gzip) for `@fastify/static`'s `preCompressed`.
 *
 * `--watch` keeps plain names (`/watch.js`, `/styles.css`, as the source HTML has them) and writes no compressed
 * copies.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'public');
const watch = process.argv.includes('--watch');

/** The pages: output name → script source. Each has `client/<name>.html`. */
const PAGES = {
  broadcast: 'client/broadcast/main.ts',
  watch: 'client/watch/main.ts',
  embed: 'client/embed/main.ts',
  status: 'client/status/main.ts',
};
/** Files worth compressing (not source maps: only developer tools read them). */
const COMPRESSIBLE = /\.(html|css|js|svg)$/;

function options(entryPoints: Record<string, string>): esbuild.BuildOptions {
  return {
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, join(root, path)])),
    bundle: true,
    format: 'esm',
    entryNames: watch ? '[name]' : 'assets/[name]-[hash]',
    target: ['chrome110', 'firefox115', 'safari16'],
    sourcemap: true,
    minify: true,
    outdir: out,
    logLevel: 'warning',
    metafile: true,
  };
}

/** The URL path of a build output (`dist/public/assets/x.js` → `/assets/x.js`). */
const urlPath = (output: string) => `/${output.slice(output.indexOf('dist/public/') + 'dist/public/'.length)}`;

/** The URL path of the file `metafile` has for the entry called `name` (its extension `ext`). */
function entryOutput(metafile: esbuild.Metafile, name: string, ext: string): string {
  const entry = Object.keys(metafile.outputs).find((o) => new RegExp(`/${name}(-[A-Z0-9]+)?\\.${ext}$`).test(o));
  if (!entry) throw new Error(`esbuild wrote no ${name}.${ext}`);
  return urlPath(entry);
}

/** Write `page`'s HTML with its script and stylesheet renamed to their built files. */
function writePage(page: string, script: string, stylesheet: string): void {
  const html = readFileSync(join(root, 'client', `${page}.html`), 'utf8');
  const scriptTag = `<script type="module" src="/${page}.js"></script>`;
  const styleTag = '<link rel="stylesheet" href="/styles.css">';
  if (!html.includes(scriptTag) || !html.includes(styleTag)) throw new Error(`client/${page}.html lacks ${scriptTag} or ${styleTag}`);
  writeFileSync(join(out, `${page}.html`), html.replace(styleTag, `<link rel="stylesheet" href="${stylesheet}">`).replace(scriptTag, `<script type="module" src="${script}"></script>`));
}

/** Write `file.br` and `file.gz` next to every compressible file under `dir`. */
function precompress(dir: string): void {
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
cpSync(join(root, 'client', 'favicon.svg'), join(out, 'favicon.svg'));

if (watch) {
  for (const page of Object.keys(PAGES)) cpSync(join(root, 'client', `${page}.html`), join(out, `${page}.html`));
  await (await esbuild.context(options({ styles: 'client/styles.css', ...PAGES }))).watch();
  process.stdout.write(`watching client/ → ${out} (plain names, uncompressed)\n`);
} else {
  const { metafile } = await esbuild.build(options({ styles: 'client/styles.css', ...PAGES }));
  const stylesheet = entryOutput(metafile!, 'styles', 'css');
  for (const page of Object.keys(PAGES)) writePage(page, entryOutput(metafile!, page, 'js'), stylesheet);
  precompress(out);
}
