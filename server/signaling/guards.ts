/**
 * The connection's guards, before any handler sees a message: the `Origin` check on the upgrade, the per-IP cap on
 * open connections, the ping/pong heartbeat, the per-connection message budget, and turning a frame into a checked
 * protocol message. What fails a guard gets its catalogue error; nothing else is harmed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import type { ClientMessage } from '../../protocol/messages.ts';
import { parseClientMessage } from '../../protocol/parse.ts';
import { originAllowed } from '../auth/origin.ts';
import type { Config } from '../config.ts';
import { ConnectionLimit } from './connection-limit.ts';
import { Heartbeat } from './heartbeat.ts';
import type { Peer } from './peer.ts';
import { MessageBudget, type RateLimits } from './rate-limit.ts';

export interface GuardOptions {
  config: Pick<Config, 'allowedOrigins' | 'maxConnectionsPerIp'>;
  /** Time between heartbeat pings, ms (see `heartbeat.ts`). */
  heartbeatIntervalMs?: number | undefined;
  /** Message rates (see `rate-limit.ts`). */
  rateLimits?: RateLimits | undefined;
}

export class ConnectionGuards {
  private readonly heartbeat: Heartbeat;
  private readonly perIp: ConnectionLimit;

  constructor(private readonly opts: GuardOptions) {
    this.heartbeat = new Heartbeat(opts.heartbeatIntervalMs);
    this.perIp = new ConnectionLimit(opts.config.maxConnectionsPerIp);
  }

  /** Start the heartbeat with the app, stop it when the app closes. */
  start(app: FastifyInstance): void {
    this.heartbeat.start();
    app.addHook('onClose', async () => this.heartbeat.stop());
  }

  /** An `onRequest` hook: a foreign `Origin` gets 403 before the upgrade (see `server/auth/origin.ts`). */
  readonly checkOrigin = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!originAllowed(req.headers.origin, req.headers.host, this.opts.config.allowedOrigins)) {
      req.log.info({ origin: req.headers.origin?.slice(0, 200) }, 'upgrade refused: origin not allowed');
      return reply.code(403).send({ error: 'Forbidden', message: 'Origin not allowed' });
    }
  };

  /**
   * Let a new connection in: counted against its address's cap and watched by the heartbeat.
   * @returns a function to call once when it closes, or null after `rate_limited` (over the per-IP cap)
   */
  accept(peer: Peer, socket: WebSocket, ip: string): (() => void) | null {
    const release = this.perIp.acquire(ip);
    if (!release) {
      peer.fail('rate_limited', 'Too many connections from your address.');
      return null;
    }
    this.heartbeat.watch(socket);
    return release;
  }

  /**
   * The message budget of one connection.
   * @param audience the watchers of the room the connection broadcasts to, or null when it is not a broadcaster
   */
  budget(audience: () => number | null): MessageBudget {
    return new MessageBudget(audience, this.opts.rateLimits);
  }
}

/**
 * Screen one frame: within the connection's budget, text, and a valid client message.
 * @returns the checked message, or null after the error to the peer (`rate_limited`, `binary_frame`, `bad_json`,
 *   `invalid_message`, `unknown_type`; `invalid_join` for a `join` that cannot be read, which ends the connection)
 */
export function screenFrame(peer: Peer, budget: MessageBudget, data: RawData, isBinary: boolean): ClientMessage | null {
  if (!budget.take()) {
    peer.fail('rate_limited');
    return null;
  }
  if (isBinary) {
    peer.fail('binary_frame');
    return null;
  }
  const parsed = parseClientMessage(data.toString());
  if (!parsed.ok) {
    // A join that cannot be read ends the connection; later bad messages are only reported.
    peer.fail(parsed.type === 'join' && peer.role === null ? 'invalid_join' : parsed.code, parsed.detail);
    return null;
  }
  return parsed.message;
}
