/**
 * The signalling relay: a WebSocket endpoint (RFC 6455) at `/ws` on Fastify. Each connection is one {@link Peer};
 * its first message must be `join`. Handlers are attached synchronously on connection and nothing a client sends
 * can throw out of them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { authorizeJoin, refusalDelay, type ClientOrigin } from '../auth/authorize.ts';
import { originAllowed } from '../auth/origin.ts';
import type { Config } from '../config.ts';
import { iceServersFor } from '../ice/ice-servers.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ClientMessageType, JoinMessage } from '../../protocol/messages.ts';
import { parseClientMessage } from '../../protocol/parse.ts';
import { ConnectionLimit } from './connection-limit.ts';
import { dispatch } from './handlers.ts';
import { Heartbeat } from './heartbeat.ts';
import { Peer } from './peer.ts';
import { MessageBudget, type RateLimits } from './rate-limit.ts';
import type { Rooms } from './rooms.ts';

/** Options of the relay route. */
export interface RelayOptions {
  config: Pick<
    Config,
    | 'stunUrls'
    | 'turn'
    | 'iceTransportPolicy'
    | 'broadcastSecret'
    | 'watchSecret'
    | 'broadcasterTakeover'
    | 'allowedOrigins'
    | 'maxConnectionsPerIp'
  >;
  rooms: Rooms;
  /** Counts relayed and rejected messages, TURN credentials issued. */
  metrics?: Metrics;
  /** How long a new connection has to send `join` before it is closed with `join_timeout`, in ms. */
  joinTimeoutMs: number;
  /** Time between heartbeat pings, ms (see `heartbeat.ts`). */
  heartbeatIntervalMs?: number;
  /** Message rates (see `rate-limit.ts`). */
  rateLimits?: RateLimits;
  /** Send-buffer bytes above which a peer that does not read is dropped (see `peer.ts`). */
  maxBufferedBytes?: number;
}

/** What one connection's handlers share besides its {@link Peer}. */
interface Connection {
  from: ClientOrigin;
  budget: MessageBudget;
  /** A `join` is being authorized (a token check) or refused: no second one. */
  joining: boolean;
  /** Closes a connection that has not joined in time; cleared once it has joined, so it holds nothing after. */
  joinTimer: NodeJS.Timeout;
}

/** Check the right to join, then join; a refusal is `unauthorized` after a random delay. */
function admit(peer: Peer, message: JoinMessage, conn: Connection, opts: RelayOptions): void {
  const refuse = async (reason: string) => {
    peer.log.info({ reason, room: message.room, role: message.role }, 'join refused');
    await refusalDelay();
    peer.fail('unauthorized');
  };
  const verdict = authorizeJoin(message, conn.from, opts.config);
  if (verdict === null) return onJoin(peer, message, conn, opts);
  conn.joining = true;
  if (typeof verdict === 'string') return void refuse(verdict);
  void verdict.then((reason) => {
    if (peer.socket.readyState !== peer.socket.OPEN) return;
    if (reason !== null) return refuse(reason);
    conn.joining = false;
    onJoin(peer, message, conn, opts);
  });
}

function onJoin(peer: Peer, message: JoinMessage, conn: Connection, opts: RelayOptions): void {
  const current = message.role === 'broadcaster' ? opts.rooms.broadcasterOf(message.room) : null;
  if (current && opts.config.broadcasterTakeover === 'takeover') {
    current.fail('broadcaster_replaced');
    opts.rooms.leave(current);
  }
  const room = opts.rooms.join(peer, message.room, message.role);
  if (typeof room === 'string') {
    peer.fail(room);
    return;
  }
  clearTimeout(conn.joinTimer);
  peer.send({
    type: 'joined',
    id: peer.id,
    room: room.name,
    role: message.role,
    iceServers: iceServersFor(opts.config, peer.id),
    iceTransportPolicy: opts.config.iceTransportPolicy,
    broadcaster: room.liveBroadcasterId,
  });
  peer.send({ type: 'viewerCount', count: room.watchers.size });
  peer.send({ type: 'chatHistory', enabled: room.chat.enabled, messages: room.chat.history() });
  if (opts.config.turn) opts.metrics?.turnCredentialsIssued(opts.config.turn.mode);
  if (message.role === 'watcher') room.viewerCountChanged();
  peer.log.info('joined');
  // The fast join: a watcher's `join` into a live room stands for its first `getBroadcast` (one round trip less).
  if (message.role === 'watcher' && message.getBroadcast && room.live && room.broadcaster) {
    room.broadcaster.send({ type: 'getBroadcast', from: peer.id });
  }
}

/** Act on one frame; returns the type of the message it delivered, if it did. */
function onMessage(peer: Peer, conn: Connection, data: RawData, isBinary: boolean, opts: RelayOptions): ClientMessageType | null {
  // Once the server has closed the connection (an error that ends it), frames still in flight are not acted on.
  if (peer.socket.readyState !== peer.socket.OPEN) return null;
  if (!conn.budget.take()) {
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
  const message = parsed.message;
  if (message.type === 'join') {
    if (peer.role !== null || conn.joining) peer.fail('already_joined');
    else admit(peer, message, conn, opts);
    return null;
  }
  if (peer.room === null) {
    peer.fail('not_joined');
    return null;
  }
  return dispatch(peer, peer.room, message) ? message.type : null;
}

/**
 * Register the `/ws` route. Requires `@fastify/websocket` to be registered on `app`. A foreign `Origin` gets 403
 * before the upgrade; a connection over the per-IP cap gets `rate_limited`.
 */
export async function relayRoute(app: FastifyInstance, opts: RelayOptions): Promise<void> {
  const heartbeat = new Heartbeat(opts.heartbeatIntervalMs);
  const perIp = new ConnectionLimit(opts.config.maxConnectionsPerIp);
  heartbeat.start();
  app.addHook('onClose', async () => heartbeat.stop());

  const checkOrigin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!originAllowed(req.headers.origin, req.headers.host, opts.config.allowedOrigins)) {
      req.log.info({ origin: req.headers.origin?.slice(0, 200) }, 'upgrade refused: origin not allowed');
      return reply.code(403).send({ error: 'Forbidden', message: 'Origin not allowed' });
    }
  };

  // No security headers here (`helmet: false`): `ws` writes the 101 handshake itself, so helmet's headers never left
  // with it; building them cost CPU on every join and stayed in memory with each connection.
  app.get('/ws', { websocket: true, helmet: false, onRequest: checkOrigin }, (socket, req) => {
    const peer = new Peer(socket, req.socket, req.log, opts.maxBufferedBytes);
    const metrics = opts.metrics;
    if (metrics) peer.onFail = (code) => metrics.rejected(code);
    socket.on('error', (err) => peer.log.info({ err: err.message }, 'socket error'));
    const release = perIp.acquire(req.ip);
    if (!release) {
      peer.fail('rate_limited', 'Too many connections from your address.');
      return;
    }
    heartbeat.watch(socket);
    const conn: Connection = {
      from: { remoteAddress: req.socket.remoteAddress, host: req.headers.host },
      budget: new MessageBudget(() => (peer.role === 'broadcaster' ? (peer.room?.watchers.size ?? 0) : null), opts.rateLimits),
      joining: false,
      joinTimer: setTimeout(() => {
        if (peer.role === null) peer.fail('join_timeout');
      }, opts.joinTimeoutMs),
    };
    socket.on('message', (data, isBinary) => {
      try {
        const arrived = performance.now();
        const delivered = onMessage(peer, conn, data, isBinary, opts);
        if (delivered) metrics?.relayed(delivered, (performance.now() - arrived) / 1000);
      } catch (err) {
        peer.log.error({ err }, 'relay handler failed');
        peer.fail('internal_error');
      }
    });
    socket.on('close', (code) => {
      clearTimeout(conn.joinTimer);
      release();
      opts.rooms.leave(peer);
      peer.log.info({ code }, 'left');
    });
  });
}
