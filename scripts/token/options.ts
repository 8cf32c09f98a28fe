/**
 * The `npm run token` command line, parsed and checked by commander, and the link it prints.
 */
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { MAX_TOKEN_TTL_S } from '../../server/auth/tokens.ts';
import { RoomName, type Role } from '../../protocol/messages.ts';

export interface TokenOptions {
  room: string;
  role: Role;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** The server's base URL the link points at, without a trailing slash. */
  url: string;
}

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A duration like `90s`, `30m`, `12h`, `7d` (or plain seconds) in seconds.
 *
 * @throws InvalidArgumentError when it is not one, or outside 1 s … 365 d
 */
export function parseTtl(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * UNIT_S[m[2] || 's']! : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_TOKEN_TTL_S) {
    throw new InvalidArgumentError('expected a duration like 90s, 30m, 12h or 7d, at most 365d.');
  }
  return seconds;
}

function roomName(value: string): string {
  if (!RoomName.safeParse(value).success) throw new InvalidArgumentError('expected 1-64 of A-Z a-z 0-9 _ -.');
  return value;
}

function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http(s) URL.');
  return url.origin;
}

/**
 * Parse `args` (without `node script`).
 *
 * @param defaultUrl the server's own URL from the configuration
 * @throws CommanderError for a bad command line or `--help` (commander has printed it)
 */
export function parseCommandLine(args: readonly string[], defaultUrl: string, output?: OutputConfiguration): TokenOptions {
  const program = new Command('npm run token --')
    .description('Print a signed join token (JWT HS256) and a link that carries it in the URL fragment.')
    .addOption(new Option('--room <name>', 'the room it is for').default('main').argParser(roomName))
    .addOption(new Option('--role <role>', 'what it allows').choices(['broadcaster', 'watcher']).default('broadcaster'))
    .addOption(new Option('--ttl <duration>', 'lifetime: 90s, 30m, 12h, 7d').default(12 * 3600, '12h').argParser(parseTtl))
    .addOption(new Option('--url <url>', "the server's address for the link").default(defaultUrl).argParser(baseUrl))
    .exitOverride()
    .allowExcessArguments(false);
  if (output) program.configureOutput(output);
  program.parse(args, { from: 'user' });
  const o = program.opts<{ room: string; role: Role; ttl: number; url: string }>();
  return { room: o.room, role: o.role, ttlSeconds: o.ttl, url: o.url };
}

/** The page link for `options` with `token` in its fragment: `/?room=…#token=…` or `/watch?room=…#token=…`. */
export function tokenLink(options: Pick<TokenOptions, 'room' | 'role' | 'url'>, token: string): string {
  const url = new URL(options.role === 'broadcaster' ? '/' : '/watch', options.url);
  url.searchParams.set('room', options.room);
  url.hash = new URLSearchParams({ token }).toString();
  return url.href;
}
