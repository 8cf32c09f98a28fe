/**
 * The `Origin` check on the WebSocket upgrade, against cross-site WebSocket hijacking: a page on another site must
 * not open the relay in a visitor's browser (RFC 6455 §10.2). Browsers always send `Origin`; a request without one
 * is not from a browser page (the CLI, tests, other servers) and is allowed, since such a client can forge any
 * header anyway: what guards against it is the token.
 */

/** Origins allowed when `ALLOWED_ORIGINS` is not set (any port): the machine itself. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * May a browser page of `origin` open the relay?
 *
 * @param origin  the request's `Origin` header, if any
 * @param host    the request's `Host` header: the server's own origin is always allowed
 * @param allowed `ALLOWED_ORIGINS` (`*` allows any), or null for the default: http(s)://localhost, 127.0.0.1, [::1]
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[] | null): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  if (allowed === null) return LOCAL_HOSTS.has(url.hostname);
  return allowed.includes('*') || allowed.includes(url.origin);
}
