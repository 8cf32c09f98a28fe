/**
 * The pages and their files, from `dist/public/` (built by `npm run build`): `/` (broadcaster), `/watch`, `/embed`
 * (the embeddable player, framed by the sites in `FRAME_ANCESTORS`), and the bundles, stylesheet and favicon.
 *
 * Files go out precompressed when the browser accepts it (Brotli `.br`, else gzip `.gz`, written by the build;
 * RFC 9110 §8.4 content codings), with `Vary: Accept-Encoding`. Caching (RFC 9111): the scripts and the stylesheet,
 * under `/assets/`, are named by their content hash, so browsers may keep them for a year unchanged (`immutable`);
 * the pages and the favicon keep their names across releases, so browsers revalidate them each time (`no-cache`,
 * with ETag and Last-Modified): a page is never stale, and names the assets of its own release.
 */
import { sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { embedHelmet } from './security-headers.ts';

/** `Cache-Control` of a content-hashed asset: one year, never revalidated. */
export const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** `Cache-Control` of every other file: revalidate before each use. */
export const UNHASHED_CACHE_CONTROL = 'no-cache';

function cacheHeaders(res: { setHeader(name: string, value: string): unknown }, path: string): void {
  res.setHeader('cache-control', path.includes(`${sep}assets${sep}`) ? HASHED_CACHE_CONTROL : UNHASHED_CACHE_CONTROL);
  res.setHeader('vary', 'accept-encoding');
}

/**
 * Register the static files and the page routes.
 *
 * @param root the built pages' directory (`dist/public`)
 */
export async function pages(app: FastifyInstance, opts: { root: string; config: Pick<Config, 'frameAncestors'> }): Promise<void> {
  await app.register(fastifyStatic, {
    root: opts.root,
    index: false,
    wildcard: false,
    serve: true,
    preCompressed: true,
    cacheControl: false,
    setHeaders: cacheHeaders,
  });
  app.get('/', (_req, reply) => reply.sendFile('broadcast.html'));
  app.get('/watch', (_req, reply) => reply.sendFile('watch.html'));
  app.get('/embed', { helmet: embedHelmet(opts.config.frameAncestors) }, (_req, reply) => reply.sendFile('embed.html'));
}
