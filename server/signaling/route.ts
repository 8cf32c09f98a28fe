/**
 * The signalling relay: a WebSocket endpoint (RFC 6455) at `/ws` on Fastify. Each connection is one {@link Peer};
 * its first message must be `join`. This file only wires the jobs together: the guards (`guards.ts`), admission
 * (`admission.ts`), the join (`join.ts`) and the handler registry (`handlers.ts`). Handlers are attached synchronously
 * on connection and nothing a client sends can throw out of them.
 */
import type { FastifyInstance } from 'fastify';
import type { ClientOrigin } from '../auth/authorize.ts';
import type { ClientMessage, ClientMessageType } from '../../protocol/messages.ts';
import { admit } from './admission.ts';
import { ConnectionGuards, screenFrame, type GuardOptions } from './guards.ts';
import { dispatch } from './handlers.ts';
import { leave } from './join.ts';
import { Peer } from './peer.ts';
import type { Relay } from './relay.ts';
import { enter, ResumeRefresh } from './resume.ts';

/** Options of the relay route. */
export interface RelayOptions extends GuardOptions {
  relay: Relay;
  /** How long a new connection has to send `join` before it is closed with `join_timeout`, in ms. */
  joinTimeoutMs: number;
  /** Send-buffer bytes above which a peer that does not read is dropped (see `peer.ts`). */
  maxBufferedBytes?: number | undefined;
}

/** The watchers of the room `peer` is in (0 when it is in none). */
function watchersOf(relay: Relay, peer: Peer): number {
  return peer.roomName === null ? 0 : (relay.rooms.get(peer.roomName)?.watcherCount ?? 0);
}

/**
 * Act on one screened message of a connection; returns its type when it was delivered.
 *
 * @param from   where the connection comes from (for admission)
 * @param joined called once the peer has joined (clears the join timer)
 */
function onMessage(relay: Relay, peer: Peer, message: ClientMessage, from: ClientOrigin, joined: () => void): ClientMessageType | null {
  if (message.type === 'join') {
    if (peer.phase !== 'new') peer.fail('already_joined');
    else admit(peer, message, from, relay.config, () => enter(relay, peer, message, joined));
    return null;
  }
  const room = peer.roomName === null ? undefined : relay.rooms.get(peer.roomName);
  if (!room) {
    peer.fail('not_joined');
    return null;
  }
  return dispatch(relay.handlers, { peer, room, bus: relay.bus, media: relay.media }, message) ? message.type : null;
}

/**
 * Register the `/ws` route. Requires `@fastify/websocket` to be registered on `app`. A foreign `Origin` gets 403
 * before the upgrade; a connection over the per-IP cap gets `rate_limited`.
 */
export async function relayRoute(app: FastifyInstance, opts: RelayOptions): Promise<void> {
  const { relay } = opts;
  const guards = new ConnectionGuards(opts);
  guards.start(app);
  const refresh = new ResumeRefresh(relay);
  refresh.start();
  app.addHook('onClose', async () => refresh.stop());

  // No security headers here (`helmet: false`): `ws` writes the 101 handshake itself, so helmet's headers never left
  // with it; building them cost CPU on every join and stayed in memory with each connection.
  app.get('/ws', { websocket: true, helmet: false, onRequest: guards.checkOrigin }, (socket, req) => {
    const counters = relay.counters;
    const peer = new Peer(socket, req.socket, req.log, opts.maxBufferedBytes, counters && ((code) => counters.rejected(code)));
    socket.on('error', (err) => peer.log.info({ err: err.message }, 'socket error'));
    const release = guards.accept(peer, socket, req.ip);
    if (!release) return;
    const joinTimer = setTimeout(() => {
      if (peer.role === null) peer.fail('join_timeout');
    }, opts.joinTimeoutMs);
    const from: ClientOrigin = { remoteAddress: req.ip, host: req.headers.host };
    const budget = guards.budget(() => (peer.role === 'broadcaster' ? watchersOf(relay, peer) : null));
    // Once joined, the connection holds no Timeout and closure.
    const joined = () => clearTimeout(joinTimer);
    socket.on('message', (data, isBinary) => {
      try {
        // Once the server has closed the connection (an error that ends it), frames still in flight are not acted on.
        if (socket.readyState !== socket.OPEN) return;
        const arrived = performance.now();
        const message = screenFrame(peer, budget, data, isBinary);
        const delivered = message && onMessage(relay, peer, message, from, joined);
        if (delivered) counters?.relayed(delivered, (performance.now() - arrived) / 1000);
      } catch (err) {
        peer.log.error({ err }, 'relay handler failed');
        peer.fail('internal_error');
      }
    });
    socket.on('close', (code) => {
      clearTimeout(joinTimer);
      release();
      // A connection that ended with a close frame was closed on purpose: the peer has left. One lost without it
      // (1006: the network, a crash, the heartbeat's terminate) may resume within the grace.
      const { graceMs } = relay.resume;
      if (peer.phase === 'joined' && code === 1006 && graceMs > 0) {
        peer.log.info({ code, graceMs }, 'connection lost; the peer may resume');
        setTimeout(() => leave(relay, peer), graceMs).unref();
        return;
      }
      leave(relay, peer);
      peer.log.info({ code }, 'left');
    });
  });
}
