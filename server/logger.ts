/**
 * Pino logger options: JSON lines, pretty-printed only when stdout is a terminal. Secrets never reach a log: the
 * relay logs message types and peer ids, never SDP, candidates, tokens or TURN credentials; these paths are redacted
 * in case one ever does, and a request's query string (where someone might put a token) is never logged.
 */
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

/** Paths pino censors (pino `redact`), wherever a secret could sit in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'token',
  '*.token',
  'credential',
  '*.credential',
  'iceServers[*].credential',
  '*.iceServers[*].credential',
  'sdp',
  '*.sdp',
  'secret',
  '*.secret',
];

/** `/watch?room=a&token=x` → `/watch?…`: the path only, so no query parameter is ever logged. */
export function withoutQuery(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}

interface LoggedRequest {
  method: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Logger options for Fastify (pino) from the configuration. */
export function loggerOptions(config: Pick<Config, 'logLevel'>, isTty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Fastify's default request serializer logs `req.url` with its query string.
      req: (req: LoggedRequest) => ({ method: req.method, url: withoutQuery(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
    ...(isTty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
