/**
 * Join tokens: JSON Web Tokens (RFC 7519) signed with HMAC-SHA256 (JWS `HS256`, RFC 7515/7518) by `jose`, scoped to
 * one room and one role and valid between `nbf` and `exp`. Broadcaster tokens are signed with `BROADCAST_SECRET`,
 * watcher tokens with `WATCH_SECRET`.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../protocol/messages.ts';

/** What a token grants. */
export interface TokenClaims {
  room: string;
  role: Role;
}

/** Tokens outlive this by no more than a year (seconds), so a typo in `--ttl` cannot mint an everlasting one. */
export const MAX_TOKEN_TTL_S = 365 * 24 * 3600;

const key = (secret: string) => new TextEncoder().encode(secret);

/**
 * Sign a token.
 *
 * @param secret     the HS256 key (`BROADCAST_SECRET` or `WATCH_SECRET`)
 * @param claims     the room and role it grants
 * @param ttlSeconds lifetime in seconds (1 … {@link MAX_TOKEN_TTL_S})
 * @param nowMs      the current time in ms since the epoch (default `Date.now()`)
 * @returns the compact JWS
 * @throws RangeError when `ttlSeconds` is out of range
 */
export async function signToken(secret: string, claims: TokenClaims, ttlSeconds: number, nowMs = Date.now()): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_S) {
    throw new RangeError(`ttl must be 1 s to ${MAX_TOKEN_TTL_S} s, got ${ttlSeconds}`);
  }
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ room: claims.room, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key(secret));
}

/**
 * Check that `token` is a valid HS256 JWT from `secret`, now between its `nbf` and `exp`, for exactly `wanted`'s
 * room and role. Never throws.
 *
 * @param nowMs the current time in ms since the epoch (default `Date.now()`)
 * @returns null when it is, otherwise why not (for the server's log only: clients are told `unauthorized`, no more)
 */
export async function checkToken(secret: string, token: string, wanted: TokenClaims, nowMs = Date.now()): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'nbf', 'room', 'role'],
      currentDate: new Date(nowMs),
    });
    if (payload.room !== wanted.room) return 'token is for another room';
    if (payload.role !== wanted.role) return 'token is for another role';
    return null;
  } catch (err) {
    return `bad token: ${(err as { code?: string }).code ?? 'ERR_JOSE'}`;
  }
}
