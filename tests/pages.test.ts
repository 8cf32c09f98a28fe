/**
 * How the pages' files are served (`server/pages.ts`, built by `scripts/build-client.ts`): precompressed Brotli or
 * gzip as the request accepts, identical to the file once decoded; `Vary: Accept-Encoding`; content-hashed assets
 * cached for a year, pages revalidated; a favicon; and the embeddable player framed only by the sites in
 * `FRAME_ANCESTORS`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { PUBLIC_DIR } from '../server/app.ts';
import { HASHED_CACHE_CONTROL, UNHASHED_CACHE_CONTROL } from '../server/pages.ts';
import { pageAssets } from './helpers/assets.ts';
import { startServer } from './helpers/server.ts';

/** GET `url` with exactly these request headers (no client-side decoding); resolves with status, headers and raw body. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const server = await startServer();
t.teardown(() => server.close());

t.test('files go out Brotli- or gzip-compressed as accepted, the same bytes once decoded', async (t) => {
  const { script, stylesheet } = await pageAssets(`${server.httpUrl}/watch`);
  for (const [path, file] of [[script, script], [stylesheet, stylesheet], ['/watch', 'watch.html'], ['/', 'broadcast.html'], ['/embed', 'embed.html']]) {
    const plain = readFileSync(join(PUBLIC_DIR, file!));
    const br = await rawGet(`${server.httpUrl}${path}`, { 'accept-encoding': 'gzip, deflate, br' });
    t.equal(br.status, 200, `${path}: 200`);
    t.equal(br.headers['content-encoding'], 'br', `${path}: Brotli when accepted`);
    t.ok(br.body.length < plain.length, `${path}: ${br.body.length} bytes instead of ${plain.length}`);
    t.same(brotliDecompressSync(br.body), plain, `${path}: decodes to the file`);
    t.match(br.headers.vary, /accept-encoding/i, `${path}: Vary: Accept-Encoding`);
    const gz = await rawGet(`${server.httpUrl}${path}`, { 'accept-encoding': 'gzip' });
    t.equal(gz.headers['content-encoding'], 'gzip', `${path}: gzip when only gzip is accepted`);
    t.same(gunzipSync(gz.body), plain, `${path}: gunzips to the file`);
    const identity = await rawGet(`${server.httpUrl}${path}`);
    t.equal(identity.headers['content-encoding'], undefined, `${path}: as it is without Accept-Encoding`);
    t.same(identity.body, plain);
    t.match(identity.headers['content-type'], file!.endsWith('.js') ? /javascript/ : file!.endsWith('.css') ? /text\/css/ : /text\/html/, `${path}: its own content type`);
  }
});

t.test('content-hashed assets are cached for a year; pages and the favicon are revalidated', async (t) => {
  const assets = readdirSync(join(PUBLIC_DIR, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  for (const page of ['/', '/watch', '/embed', '/status']) {
    const { script, stylesheet } = await pageAssets(`${server.httpUrl}${page}`);
    for (const path of [script, stylesheet]) t.match(path, /^\/assets\/[a-z-]+-[A-Z0-9]{8}\.(js|css)$/, `${page} names ${path} by its hash`);
  }
  for (const asset of assets) {
    const res = await rawGet(`${server.httpUrl}/assets/${asset}`, { 'accept-encoding': 'br' });
    t.equal(res.status, 200);
    t.equal(res.headers['cache-control'], HASHED_CACHE_CONTROL, `/assets/${asset}: immutable`);
  }
  for (const path of ['/', '/watch', '/embed', '/favicon.svg']) {
    const res = await rawGet(`${server.httpUrl}${path}`);
    t.equal(res.headers['cache-control'], UNHASHED_CACHE_CONTROL, `${path}: revalidated`);
    t.ok(res.headers.etag, `${path}: has an ETag to revalidate with`);
    const again = await rawGet(`${server.httpUrl}${path}`, { 'if-none-match': String(res.headers.etag) });
    t.equal(again.status, 304, `${path}: 304 Not Modified when unchanged`);
  }
});

t.test('every page names the favicon, and it is served', async (t) => {
  for (const path of ['/', '/watch', '/embed', '/status']) {
    t.match(await (await fetch(`${server.httpUrl}${path}`)).text(), /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/, path);
  }
  const icon = await fetch(`${server.httpUrl}/favicon.svg`);
  t.equal(icon.status, 200);
  t.match(icon.headers.get('content-type'), /image\/svg\+xml/);
});

t.test('the embeddable player may be framed only by the sites in FRAME_ANCESTORS', async (t) => {
  const closed = await rawGet(`${server.httpUrl}/embed?room=main`);
  t.match(closed.headers['content-security-policy'], /frame-ancestors 'none'/, 'default: nobody');
  t.equal(closed.headers['x-frame-options'], 'SAMEORIGIN');

  const open = await startServer({ FRAME_ANCESTORS: 'https://blog.example.com, self' });
  t.teardown(() => open.close());
  const embed = await rawGet(`${open.httpUrl}/embed?room=main`);
  t.match(embed.headers['content-security-policy'], /frame-ancestors https:\/\/blog\.example\.com 'self'(;|$)/, 'the listed sites');
  t.match(embed.headers['content-security-policy'], /script-src 'self'(;|$)/, 'the rest of the policy is unchanged');
  t.equal(embed.headers['x-frame-options'], undefined, 'no X-Frame-Options, which cannot name other sites');
  for (const path of ['/', '/watch', '/status']) {
    const page = await rawGet(`${open.httpUrl}${path}`);
    t.match(page.headers['content-security-policy'], /frame-ancestors 'none'/, `${path} still cannot be framed`);
    t.equal(page.headers['x-frame-options'], 'SAMEORIGIN', `${path}: X-Frame-Options`);
  }
});
