/**
 * Who may join a room in a role. Broadcasting: with `BROADCAST_SECRET`, only with a broadcaster token for that room;
 * without it ("protected mode", as Redis does), only from loopback, reached by a loopback host name (so a
 * DNS-rebinding page cannot pass as local). Watching: anyone, unless `WATCH_SECRET` asks for a watcher token.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { Config } from '../config.ts';
import type { JoinMessage } from '../../protocol/messages.ts';
import { checkToken } from './tokens.ts';

/** Where a connection comes from: the TCP peer address and the `Host` header of its upgrade request. */
export interface ClientOrigin {
  remoteAddress: string | undefined;
  host: string | undefined;
}

/** A refusal is delayed by a random time in this range (ms), so a key cannot be guessed quickly. */
export const REFUSAL_DELAY_MS = { min: 200, max: 500 } as const;

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.x.y.z`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** True when a `Host` header names this machine: `localhost`, a loopback IP, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/**
 * Decide whether `join` may proceed.
 *
 * @returns null when allowed; otherwise a reason for the log (the client only ever hears `unauthorized`). A promise
 *          only when a token has to be checked, so the common watcher join stays synchronous.
 */
export function authorizeJoin(
  join: Pick<JoinMessage, 'room' | 'role' | 'token'>,
  from: ClientOrigin,
  config: Pick<Config, 'broadcastSecret' | 'watchSecret'>,
): null | string | Promise<string | null> {
  const secret = join.role === 'broadcaster' ? config.broadcastSecret : config.watchSecret;
  if (secret) return join.token ? checkToken(secret, join.token, { room: join.room, role: join.role }) : 'no token';
  if (join.role === 'watcher') return null;
  if (!isLoopbackAddress(from.remoteAddress)) return 'protected mode: broadcasting only from loopback (set BROADCAST_SECRET)';
  if (!isLoopbackHost(from.host)) return 'protected mode: loopback client with a non-local Host header';
  return null;
}

/** Wait a random {@link REFUSAL_DELAY_MS} before telling a client it is refused. */
export function refusalDelay(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, randomInt(REFUSAL_DELAY_MS.min, REFUSAL_DELAY_MS.max + 1)));
}
