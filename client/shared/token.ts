/**
 * The join token a page was opened with. `npm run token` puts it in the URL *fragment* (`#token=…`), which browsers
 * never send to a server, so it cannot end up in a request line or a proxy's log; the page sends it in `join.token`.
 */

/**
 * The `token` parameter of the page's URL fragment, if any.
 *
 * @param hash `location.hash`, e.g. `#token=eyJ…`
 */
export function tokenFromFragment(hash: string = window.location.hash): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token ? token : undefined;
}

/** `{ token }` for a `join` when the page has one, else `{}`. */
export function joinToken(hash?: string): { token?: string } {
  const token = tokenFromFragment(hash);
  return token ? { token } : {};
}
