/**
 * From the OnAir page URL a person would open to the URL of its WebSocket relay (`/ws`, RFC 6455 §3).
 */

/** WebSocket scheme for each accepted URL scheme (RFC 6455 §3). */
const WS_SCHEME: Readonly<Record<string, string>> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };

/**
 * The relay URL for a server: `http:` becomes `ws:`, `https:` becomes `wss:`, and `/ws` is appended to the path
 * (so a server behind a path prefix, `https://example.com/onair/`, gives `wss://example.com/onair/ws`). A `ws:` or
 * `wss:` URL is taken as the server's URL too; one that already ends in `/ws` is kept. Query and fragment are
 * dropped (`http://host/?room=x` gives `ws://host/ws`).
 *
 * @param url the server's address, e.g. `http://localhost:3000`
 * @returns e.g. `ws://localhost:3000/ws`
 * @throws TypeError when `url` is not an absolute http(s) or ws(s) URL
 */
export function relayUrlFor(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"${url}" is not an absolute URL (e.g. http://localhost:3000)`);
  }
  const scheme = WS_SCHEME[parsed.protocol];
  if (!scheme) throw new TypeError(`"${parsed.protocol}" is not http:, https:, ws: or wss:`);
  const path = parsed.pathname.replace(/\/+$/, '');
  const relay = new URL(parsed.href);
  relay.protocol = scheme;
  relay.pathname = path.endsWith('/ws') ? path : `${path}/ws`;
  relay.search = '';
  relay.hash = '';
  return relay.href;
}

/**
 * The page URL of the server behind a relay URL: `ws:` becomes `http:`, `wss:` `https:`, and the trailing `/ws` goes
 * (`ws://127.0.0.1:3000/ws` gives `http://127.0.0.1:3000/`).
 *
 * @param relayUrl a URL from {@link relayUrlFor}
 */
export function pageUrlFor(relayUrl: string): string {
  const url = new URL(relayUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/ws$/, '/');
  return url.href;
}
