/**
 * Security headers on the pages (`@fastify/helmet`): a CSP that allows only the pages' own scripts, styles and
 * WebSocket, no framing, no MIME sniffing. That the pages still work under it, with no violation reported, is checked
 * in Chromium by `tests/e2e/chaos.test.ts`.
 */
import t from 'tap';
import { pageAssets } from '../helpers/assets.ts';
import { startServer } from '../helpers/server.ts';

const server = await startServer();
t.teardown(() => server.close());

t.test('both pages and their bundles carry the security headers', async (t) => {
  const { script, stylesheet } = await pageAssets(`${server.httpUrl}/`);
  for (const path of ['/', '/watch', script, stylesheet]) {
    const res = await fetch(`${server.httpUrl}${path}`);
    t.equal(res.status, 200, path);
    const csp = res.headers.get('content-security-policy') ?? '';
    t.match(csp, /default-src 'self'/, `${path}: CSP`);
    t.match(csp, /script-src 'self'(;|$)/, `${path}: own scripts only, no inline`);
    t.match(csp, /connect-src 'self'/, `${path}: WebSocket to its own origin only`);
    t.match(csp, /frame-ancestors 'none'/, `${path}: not framed`);
    t.notMatch(csp, /upgrade-insecure-requests/, `${path}: plain HTTP on localhost keeps working`);
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', `${path}: nosniff`);
    t.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', `${path}: X-Frame-Options`);
    t.equal(res.headers.get('referrer-policy'), 'no-referrer', `${path}: no referrer`);
  }
});
