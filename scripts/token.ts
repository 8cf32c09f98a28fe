/**
 * `npm run token`: sign a join token for one room and role with the server's secret (`BROADCAST_SECRET` for
 * broadcasters, `WATCH_SECRET` for watchers, read like the server reads them: environment, then `.env`), and print
 * it with a ready-to-open link that carries it in the URL fragment.
 *
 *   npm run token -- --room main --role broadcaster --ttl 12h [--url https://onair.example.com]
 *
 * stdout: the token on the first line, the link on the second. Exit status 2 for a bad command line, a bad
 * configuration, or no secret for the role.
 */
import { CommanderError } from 'commander';
import { signToken } from '../server/auth/tokens.ts';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { parseCommandLine, tokenLink } from './token/options.ts';

/** The server's own URL from its configuration (what a browser on the same machine would open). */
function ownUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${config.port}`;
}

async function main(args: readonly string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  let options;
  try {
    options = parseCommandLine(args, ownUrl(config));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const secret = options.role === 'broadcaster' ? config.broadcastSecret : config.watchSecret;
  if (!secret) {
    const variable = options.role === 'broadcaster' ? 'BROADCAST_SECRET' : 'WATCH_SECRET';
    process.stderr.write(`${variable} is not set: the server does not check ${options.role} tokens. Set it (at least 32 characters) in the environment or .env.\n`);
    return 2;
  }
  const token = await signToken(secret, { room: options.room, role: options.role }, options.ttlSeconds);
  process.stdout.write(`${token}\n${tokenLink(options, token)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
