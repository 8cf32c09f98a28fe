/**
 * Pino logger options: JSON lines, pretty-printed only when stdout is a terminal. Secrets never reach a log: the
 * relay logs message types and peer ids, never SDP, candidates, tokens or TURN credentials.
 */
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

/** Logger options for Fastify (pino) from the configuration. */
export function loggerOptions(config: Pick<Config, 'logLevel'>, isTty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'token', '*.token', 'credential', '*.credential'], censor: '[redacted]' },
    ...(isTty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
