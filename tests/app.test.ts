/**
 * The app as built by `buildServer`: the pages at `/` and `/watch`, their bundles, and HTTPS/WSS when
 * `TLS_CERT`/`TLS_KEY` are set (a self-signed certificate made with openssl).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pageAssets } from './helpers/assets.ts';
import { startServer } from './helpers/server.ts';
import { WsPeer } from './helpers/ws-peer.ts';

t.test('serves the broadcaster page at / and the watcher page at /watch', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const home = await fetch(`${server.httpUrl}/`);
  t.equal(home.status, 200);
  t.match(home.headers.get('content-type'), /text\/html/);
  t.match(await home.text(), /Start broadcast/);
  const watch = await fetch(`${server.httpUrl}/watch?room=main`);
  t.equal(watch.status, 200);
  t.match(await watch.text(), /<video id="video"[^>]*autoplay[^>]*playsinline[^>]*muted/);
  for (const page of ['/', '/watch', '/embed']) {
    const { script, stylesheet } = await pageAssets(`${server.httpUrl}${page}`);
    for (const file of [script, stylesheet]) t.equal((await fetch(`${server.httpUrl}${file}`)).status, 200, `${page}: ${file} is served`);
  }
  t.equal((await fetch(`${server.httpUrl}/nope`)).status, 404);
});

t.test('with TLS_CERT and TLS_KEY it serves HTTPS and the relay over WSS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const server = await startServer({ TLS_CERT: cert, TLS_KEY: key });
  t.teardown(() => server.close());
  const port = new URL(server.httpUrl).port;

  const status = await new Promise<number | undefined>((resolve, reject) => {
    get(`https://127.0.0.1:${port}/watch`, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
  t.equal(status, 200, 'the watcher page over HTTPS');

  const peer = await WsPeer.connect(`wss://127.0.0.1:${port}/ws`, { rejectUnauthorized: false });
  peer.send({ type: 'join', room: 'main', role: 'watcher' });
  t.equal((await peer.next('joined')).role, 'watcher', 'joined over WSS');
  await peer.close();
});
