/**
 * TURN REST credentials (draft-uberti-behave-turn-rest-00 §2.2), the scheme coturn checks with `use-auth-secret`
 * / `static-auth-secret`: username `<unix-expiry-seconds>:<id>`, password `base64(HMAC-SHA1(secret, username))`.
 * TURN itself is RFC 8656.
 */
import { createHmac } from 'node:crypto';

/** Short-lived TURN credentials for one client. `expiresAt` is in Unix seconds. */
export interface TurnCredentials {
  username: string;
  credential: string;
  expiresAt: number;
}

/**
 * Mint credentials for one client.
 *
 * @param secret     the shared secret configured in coturn (`static-auth-secret`)
 * @param id         who they are for (the peer id); must not contain ':'
 * @param ttlSeconds lifetime in seconds
 * @param nowMs      the current time in ms since the epoch (default `Date.now()`)
 */
export function mintTurnCredentials(secret: string, id: string, ttlSeconds: number, nowMs = Date.now()): TurnCredentials {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${id}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}
