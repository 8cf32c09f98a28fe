/**
 * Security headers on every HTTP response (`@fastify/helmet`), with a Content-Security-Policy (CSP Level 3) that lets
 * the pages do exactly what they do: their own bundled scripts and stylesheet, a WebSocket to their own origin
 * (`connect-src 'self'` covers `ws:`/`wss:` of the same host; `blob:` is the page's own recording), camera/peer media as `MediaStream` objects (no URL, so
 * no `media-src` is needed), and nothing else: no inline script, no other origin, no framing — except the embeddable
 * player, which the sites in `FRAME_ANCESTORS` may frame ({@link embedHelmet}).
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The CSP directives the pages are served with. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  // blob: so the broadcaster page can read back its own local recording (a blob: URL it made) before offering it.
  connectSrc: ["'self'", 'blob:'],
  mediaSrc: ["'self'", 'blob:', 'mediastream:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // The server may run on plain HTTP (localhost, or TLS at a proxy): never rewrite its URLs to https.
  upgradeInsecureRequests: null,
};

/** Register helmet on `app` with {@link CSP_DIRECTIVES}. */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // HSTS only makes sense over HTTPS; helmet sends it anyway and browsers ignore it on http.
  });
}

/**
 * Helmet's options for the embeddable player's route: the pages' CSP with `frame-ancestors` set to `sources`
 * (`FRAME_ANCESTORS`: origins, `*`, or `self`), and no `X-Frame-Options` once some site may frame it (that header
 * cannot name other sites; browsers that know `frame-ancestors` ignore it anyway, CSP Level 3 §6.4.2).
 *
 * @param sources the config's `frameAncestors`; empty: nobody may frame the player, as for every other page
 */
export function embedHelmet(sources: readonly string[]): FastifyHelmetOptions {
  if (sources.length === 0) return {};
  const frameAncestors = sources.map((s) => (s === 'self' ? "'self'" : s));
  return { contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES, frameAncestors } }, frameguard: false };
}
