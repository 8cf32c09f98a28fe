/**
 * The WHIP endpoint (RFC 9725): encoders such as OBS publish into a room over HTTP, through the SFU.
 *
 * - `POST /whip/<room>` (`application/sdp`, the encoder's offer; `Authorization: Bearer <broadcaster token>`, or a
 *   loopback client in protected mode, as for the broadcaster page) → `201 Created`, Janus's answer, `Location:
 *   /whip/<room>/<id>`, `ETag`, `Accept-Patch: application/trickle-ice-sdpfrag`, and `Link: <…>; rel="ice-server"`
 *   for every STUN/TURN URL, TURN credentials minted as for `joined` (§4.6).
 * - `PATCH /whip/<room>/<id>` (`application/trickle-ice-sdpfrag`, RFC 8840): trickled candidates → 204. Entity tags
 *   (§4.3.1): `If-Match` is compared (412 on a mismatch); without it, an `ETag` request header (what Eyevinn's client
 *   sends) is compared the same way; with neither, the PATCH is accepted (lenient: the bearer token already ties it to
 *   the room, and a stale candidate is harmless). ICE restarts (`If-Match: *`, or a new ufrag) → 422 (§4.3.2).
 * - `DELETE /whip/<room>/<id>` → 200: the broadcast ends, watchers are told `broadcastEnded`.
 * - `OPTIONS` → 204 with CORS headers (any origin: the token, not the origin, is the credential); an authorized
 *   non-preflight `OPTIONS` on the endpoint also gets the `Link` ICE servers. Other methods → 405 with `Allow`.
 *
 * PATCH and DELETE need the same authorization as the POST, for the resource's room. Each address gets a request
 * budget (`MESSAGE_RATE_PER_S`, `MESSAGE_BURST`) and at most `MAX_CONNECTIONS_PER_IP` live sessions: past either, 429.
 * Errors are JSON
 * `{ code, message }` with a catalogue code (`protocol/errors.ts`): see {@link STATUS} and docs/whip.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode } from '../../protocol/errors.ts';
import { LIMITS, RoomName } from '../../protocol/messages.ts';
import { authorizeJoin, refusalDelay } from '../auth/authorize.ts';
import type { Config } from '../config.ts';
import { iceServersFor } from '../ice/ice-servers.ts';
import { ConnectionLimit } from '../signaling/connection-limit.ts';
import { TokenBucket } from '../signaling/rate-limit.ts';
import type { Relay } from '../signaling/relay.ts';
import { checkOffer, iceServerLinks, parseSdpFrag } from './sdp.ts';
import { WhipError, WhipSession, type Escalate } from './session.ts';

export interface WhipOptions {
  relay: Relay;
  config: Pick<Config, 'maxConnectionsPerIp' | 'messageRate'>;
  /** Moves a room to the SFU (`EscalatingMediaPath.escalateNow`); null when the server runs no SFU. */
  escalate: Escalate | null;
  /** Whether the SFU's connection is up now. */
  sfuUp: () => boolean;
}

/** The HTTP status of each error the endpoint answers with; any other code is a 500. */
export const STATUS: Partial<Record<ErrorCode, number>> = {
  whip_bad_sdp: 400,
  whip_unsupported_codec: 400,
  sfu_bad_sdp: 400,
  unauthorized: 403,
  whip_not_found: 404,
  whip_method_not_allowed: 405,
  broadcaster_exists: 409,
  whip_precondition_failed: 412,
  whip_body_too_large: 413,
  whip_unsupported_media_type: 415,
  whip_ice_restart_unsupported: 422,
  rate_limited: 429,
  whip_no_sfu: 503,
  sfu_unavailable: 503,
  sfu_refused: 503,
  sfu_room_not_found: 503,
  sfu_feed_not_found: 503,
  sfu_unauthorized: 503,
};

/** Client addresses whose request budgets are kept at most. */
const MAX_RATE_BUCKETS = 10_000;

const SDP = 'application/sdp';
const SDPFRAG = 'application/trickle-ice-sdpfrag';
const METHODS = 'POST, PATCH, DELETE, OPTIONS';

type RoomParams = { Params: { room: string } };
type ResourceParams = { Params: { room: string; resource: string } };

function fail(reply: FastifyReply, code: ErrorCode, detail: string = ERRORS[code].message, status = STATUS[code] ?? 500): FastifyReply {
  return reply.code(status).type('application/json').send({ code, message: detail });
}

/** The request's media type, lower case, without parameters. */
const mediaType = (req: FastifyRequest): string => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** Whether an `If-Match`-style list of entity tags names `etag` (strong comparison, RFC 9110 §13.1.1). */
const matches = (list: string, etag: string): boolean => list.split(',').some((tag) => tag.trim() === etag);

export async function whipRoutes(app: FastifyInstance, o: WhipOptions): Promise<void> {
  const sessions = new Map<string, WhipSession>();
  const perIp = new ConnectionLimit(o.config.maxConnectionsPerIp);
  const bodyLimit = LIMITS.sdpBytes;

  app.addContentTypeParser([SDP, SDPFRAG], { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message: string }, req, reply) => {
    if (error.statusCode === 413) return fail(reply, 'whip_body_too_large', `WHIP: the body is larger than ${bodyLimit} bytes.`);
    if (error.statusCode === 415) return fail(reply, 'whip_unsupported_media_type');
    if (error.statusCode !== undefined && error.statusCode < 500) return fail(reply, 'whip_bad_sdp', error.message, 400);
    req.log.error({ err: error }, 'WHIP request failed');
    return fail(reply, 'internal_error');
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'Location, ETag, Link, Accept-Patch, Accept-Post, Access-Control-Allow-Methods');
  });
  // Requests per client address: a token bucket of MESSAGE_RATE_PER_S / MESSAGE_BURST (the relay's per-connection
  // budget); past it, 429. Forgotten all at once past MAX_RATE_BUCKETS addresses (memory stays bounded).
  const buckets = new Map<string, TokenBucket>();
  app.addHook('onRequest', async (req, reply) => {
    if (buckets.size >= MAX_RATE_BUCKETS) buckets.clear();
    let bucket = buckets.get(req.ip);
    if (!bucket) buckets.set(req.ip, (bucket = new TokenBucket(o.config.messageRate.ratePerS, o.config.messageRate.burst)));
    if (!bucket.take()) return fail(reply, 'rate_limited', 'WHIP: too many requests from this address; slow down.');
  });
  app.addHook('onClose', async () => {
    for (const session of [...sessions.values()]) session.end('server closing');
  });

  /** The room named in the URL, or null for a name no room can have. */
  const roomOf = (name: string): string | null => (RoomName.safeParse(name).success ? name : null);

  /**
   * May this request publish into `room`? A refusal waits {@link refusalDelay} (tokens cannot be guessed quickly).
   * @returns null when it may; 401 without an `Authorization` header, 403 with one (the reason only in the log)
   */
  async function authorize(req: FastifyRequest, room: string): Promise<null | 401 | 403> {
    const header = req.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '' : undefined;
    const verdict = await authorizeJoin({ room, role: 'broadcaster', token }, { remoteAddress: req.ip, host: req.headers.host }, o.relay.config);
    if (verdict === null) return null;
    req.log.info({ reason: verdict, room }, 'WHIP refused');
    await refusalDelay();
    return header === undefined ? 401 : 403;
  }

  /** Authorize, then find the session `resource` of `room`; replies (and returns null) when either fails. */
  async function sessionFor(req: FastifyRequest<ResourceParams>, reply: FastifyReply): Promise<WhipSession | null> {
    const room = roomOf(req.params.room);
    if (room === null) return void fail(reply, 'whip_not_found'), null;
    const refused = await authorize(req, room);
    if (refused !== null) return void fail(reply.header('www-authenticate', 'Bearer'), 'unauthorized', undefined, refused), null;
    const session = sessions.get(req.params.resource);
    if (!session || session.room !== room || session.ended) return void fail(reply, 'whip_not_found'), null;
    return session;
  }

  app.post<RoomParams>('/whip/:room', { bodyLimit }, async (req, reply) => {
    const room = roomOf(req.params.room);
    if (room === null) return fail(reply, 'whip_not_found', 'WHIP: a room name is 1-64 of A-Z a-z 0-9 _ -.');
    const refused = await authorize(req, room);
    if (refused !== null) return fail(reply.header('www-authenticate', 'Bearer'), 'unauthorized', undefined, refused);
    if (mediaType(req) !== SDP || typeof req.body !== 'string') return fail(reply, 'whip_unsupported_media_type');
    if (!o.escalate) return fail(reply, 'whip_no_sfu');
    if (!o.sfuUp()) return fail(reply, 'sfu_unavailable', 'WHIP: the media server (SFU) is not reachable right now; try again.');
    const offer = checkOffer(req.body);
    if ('code' in offer) return fail(reply, offer.code, `${ERRORS[offer.code].message} (${offer.detail})`);
    const release = perIp.acquire(req.ip);
    if (!release) return fail(reply, 'rate_limited', 'WHIP: too many sessions from this address (MAX_CONNECTIONS_PER_IP).');
    const session = new WhipSession({
      relay: o.relay,
      escalate: o.escalate,
      room,
      iceUfrag: offer.iceUfrag,
      log: req.log,
      onEnd: (ended) => {
        sessions.delete(ended.id);
        release();
      },
    });
    sessions.set(session.id, session);
    session.peer.log.info({ videoCodecs: offer.videoCodecs }, 'WHIP offer');
    try {
      const answer = await session.publish(req.body);
      // An encoder that gave up waiting never learns its resource: end the session rather than leave it live.
      if (req.raw.socket.destroyed) {
        session.end('the client went away before the answer');
        return reply;
      }
      return reply
        .code(201)
        .type(SDP)
        .header('location', `/whip/${room}/${session.id}`)
        .header('etag', session.etag)
        .header('accept-patch', SDPFRAG)
        .header('link', iceServerLinks(iceServersFor(o.relay.config, session.peer.id)))
        .send(answer);
    } catch (err) {
      if (err instanceof WhipError) return fail(reply, err.code, err.message);
      throw err;
    }
  });

  app.patch<ResourceParams>('/whip/:room/:resource', { bodyLimit }, async (req, reply) => {
    const session = await sessionFor(req, reply);
    if (!session) return reply;
    if (mediaType(req) !== SDPFRAG || typeof req.body !== 'string') return fail(reply, 'whip_unsupported_media_type');
    const ifMatch = req.headers['if-match'];
    const tag = ifMatch ?? req.headers.etag;
    if (tag !== undefined && tag.trim() !== '*' && !matches(tag, session.etag)) return fail(reply, 'whip_precondition_failed');
    const frag = parseSdpFrag(req.body);
    if ('code' in frag) return fail(reply, frag.code, `${ERRORS[frag.code].message} (${frag.detail})`);
    if (ifMatch?.trim() === '*' || (frag.iceUfrag !== null && frag.iceUfrag !== session.iceUfrag)) return fail(reply, 'whip_ice_restart_unsupported');
    try {
      session.trickle(frag.candidates);
    } catch (err) {
      if (err instanceof WhipError) return fail(reply, err.code, err.message);
      throw err;
    }
    return reply.code(204).send();
  });

  app.delete<ResourceParams>('/whip/:room/:resource', async (req, reply) => {
    const session = await sessionFor(req, reply);
    if (!session) return reply;
    session.end('DELETE');
    return reply.code(200).send();
  });

  const preflight = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (req.headers['access-control-request-method'] === undefined) return false;
    reply
      .code(204)
      .header('access-control-allow-methods', METHODS)
      .header('access-control-allow-headers', 'Authorization, Content-Type, If-Match, ETag')
      .header('access-control-max-age', '600')
      .send();
    return true;
  };

  app.options<RoomParams>('/whip/:room', async (req, reply) => {
    if (preflight(req, reply)) return reply;
    const room = roomOf(req.params.room);
    reply.header('access-control-allow-methods', METHODS).header('accept-post', SDP);
    // ICE servers (with TURN credentials) only for a client that may publish here.
    if (room !== null && req.headers.authorization !== undefined && (await authorize(req, room)) === null) {
      reply.header('link', iceServerLinks(iceServersFor(o.relay.config, `whip-options-${room}`)));
    }
    return reply.code(204).send();
  });
  app.options('/whip/:room/:resource', async (req, reply) => {
    if (preflight(req, reply)) return reply;
    return reply.code(204).header('access-control-allow-methods', METHODS).header('accept-patch', SDPFRAG).send();
  });

  const notAllowed = (allow: string) => async (_req: FastifyRequest, reply: FastifyReply) => fail(reply.header('allow', allow), 'whip_method_not_allowed');
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/whip/:room', handler: notAllowed('POST, OPTIONS') });
  app.route({ method: ['GET', 'PUT', 'POST'], url: '/whip/:room/:resource', handler: notAllowed('PATCH, DELETE, OPTIONS') });
}
