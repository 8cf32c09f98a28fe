/**
 * The signalling relay: a WebSocket endpoint (RFC 6455) at `/ws` on Fastify. Each connection is one {@link Peer};
 * its first message must be `join`. Handlers are attached synchronously on connection and nothing a client sends
 * can throw out of them.
 */
import type { FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import type { Config } from '../config.ts';
import { iceServersFor } from '../ice/ice-servers.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ClientMessageType, JoinMessage } from '../protocol/messages.ts';
import { parseClientMessage } from '../protocol/parse.ts';
import { dispatch } from './handlers.ts';
import { Peer } from './peer.ts';
import type { Rooms } from './rooms.ts';

/** Options of the relay route. */
export interface RelayOptions {
  config: Pick<Config, 'stunUrls' | 'turn' | 'iceTransportPolicy'>;
  rooms: Rooms;
  /** Counts relayed and rejected messages, TURN credentials issued. */
  metrics?: Metrics;
  /** How long a new connection has to send `join` before it is closed with `join_timeout`, in ms. */
  joinTimeoutMs: number;
}

function onJoin(peer: Peer, message: JoinMessage, opts: RelayOptions): void {
  const room = opts.rooms.join(peer, message.room, message.role);
  if (typeof room === 'string') {
    peer.fail(room);
    return;
  }
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
}

/** Act on one frame; returns the type of the message it delivered, if it did. */
function onMessage(peer: Peer, data: RawData, isBinary: boolean, opts: RelayOptions): ClientMessageType | null {
  // Once the server has closed the connection (an error that ends it), frames still in flight are not acted on.
  if (peer.socket.readyState !== peer.socket.OPEN) return null;
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
    if (peer.role !== null) peer.fail('already_joined');
    else onJoin(peer, message, opts);
    return null;
  }
  if (peer.room === null) {
    peer.fail('not_joined');
    return null;
  }
  return dispatch(peer, peer.room, message) ? message.type : null;
}

/**
 * Register the `/ws` route. Requires `@fastify/websocket` to be registered on `app`.
 */
export async function relayRoute(app: FastifyInstance, opts: RelayOptions): Promise<void> {
  app.get('/ws', { websocket: true }, (socket, req) => {
    const peer = new Peer(socket, req.log);
    const metrics = opts.metrics;
    if (metrics) peer.onFail = (code) => metrics.rejected(code);
    const joinTimer = setTimeout(() => {
      if (peer.role === null) peer.fail('join_timeout');
    }, opts.joinTimeoutMs);
    socket.on('message', (data, isBinary) => {
      try {
        const arrived = performance.now();
        const delivered = onMessage(peer, data, isBinary, opts);
        if (delivered) metrics?.relayed(delivered, (performance.now() - arrived) / 1000);
      } catch (err) {
        peer.log.error({ err }, 'relay handler failed');
        peer.fail('internal_error');
      }
    });
    socket.on('close', (code) => {
      clearTimeout(joinTimer);
      opts.rooms.leave(peer);
      peer.log.info({ code }, 'left');
    });
    socket.on('error', (err) => peer.log.info({ err: err.message }, 'socket error'));
  });
}
