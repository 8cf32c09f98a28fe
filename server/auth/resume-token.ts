/**
 * Resume tokens: how a page that lost its WebSocket gets its identity back (the same peer id, room and role), on
 * the same node after a restart or on another node, so the room's peer connections survive the signalling outage.
 *
 * A resume token is a JSON Web Token (RFC 7519) signed with HMAC-SHA256 (JWS `HS256`, RFC 7515/7518) by `jose`,
 * with `sub` = the peer id, `room`, `role`, audience `onair-resume` (so a join token can never pass for one, nor
 * the reverse) and a short lifetime. The server signs one at `joined` and a fresh one every third of its lifetime
 * while the peer stays connected (`resumeToken`); it carries all the server needs, so a node with no state (just
 * restarted, or another node) can verify it with the shared key alone (`RESUME_SECRET`, or the key file kept by
 * `resume-key.ts`).
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../protocol/messages.ts';

/** What a resume token restores. */
export interface ResumeClaims {
  /** The server-assigned peer id. */
  peer: string;
  room: string;
  role: Role;
}

/** Lifetime of a resume token, s: a page whose signalling is down for longer joins afresh. */
export const RESUME_TTL_S = 60;

/**
 * How long a peer whose connection was lost stays in its room before the room is told it left, ms: the time a page
 * has to resume without its peers closing their connections to it. Well under {@link RESUME_TTL_S}.
 */
export const RESUME_GRACE_MS = 10_000;

/** The JWT audience of resume tokens. */
const AUDIENCE = 'onair-resume';

/**
 * Sign a resume token.
 *
 * @param key        the HS256 key, at least 32 bytes (see `resume-key.ts`)
 * @param ttlSeconds lifetime, s (default {@link RESUME_TTL_S})
 * @param nowMs      the current time, ms since the epoch
 * @returns the compact JWS
 */
export async function signResumeToken(key: Uint8Array, claims: ResumeClaims, ttlSeconds = RESUME_TTL_S, nowMs = Date.now()): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ room: claims.room, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.peer)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key);
}

/** Why a resume token was refused: a catalogue code, and a reason for the server's log only. */
export interface ResumeRefusal {
  code: 'resume_expired' | 'resume_invalid';
  reason: string;
}

/**
 * Verify a resume token for a `join` into `wanted.room` as `wanted.role`. Never throws.
 *
 * @returns the claims when it is valid, unexpired and for that room and role; otherwise a {@link ResumeRefusal}:
 *   `resume_expired` past its `exp`, `resume_invalid` for anything else (forged, another key, another room or role,
 *   not a resume token, garbage)
 */
export async function verifyResumeToken(
  key: Uint8Array,
  token: string,
  wanted: { room: string; role: Role },
  nowMs = Date.now(),
): Promise<ResumeClaims | ResumeRefusal> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      requiredClaims: ['exp', 'sub', 'room', 'role'],
      currentDate: new Date(nowMs),
    });
    if (payload.room !== wanted.room) return { code: 'resume_invalid', reason: 'resume token is for another room' };
    if (payload.role !== wanted.role) return { code: 'resume_invalid', reason: 'resume token is for another role' };
    if (typeof payload.sub !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(payload.sub)) {
      return { code: 'resume_invalid', reason: 'resume token names no valid peer id' };
    }
    return { peer: payload.sub, room: wanted.room, role: wanted.role };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { code: 'resume_expired', reason: 'resume token expired' };
    return { code: 'resume_invalid', reason: `bad resume token: ${(err as { code?: string }).code ?? 'ERR_JOSE'}` };
  }
}
