/**
 * The one catalogue of OnAir protocol errors, shared by the server, the pages and the CLI.
 *
 * Every error a peer can receive is `{ type: "error", code, message }` (see `messages.ts`), where `code` is one of
 * the keys below and never changes meaning. `close` is the WebSocket close code (RFC 6455 §7.4) the server sends
 * right after the error frame, or `null` when the connection carries on.
 */
export const ERRORS = {
  bad_json: { message: 'The frame is not valid JSON.', close: null },
  invalid_message: { message: 'The message does not match the protocol schema.', close: null },
  unknown_type: { message: 'Unknown message type.', close: null },
  not_joined: { message: 'Send "join" before any other message.', close: null },
  already_joined: { message: 'This connection has already joined a room.', close: null },
  forbidden: { message: 'Your role may not send this message.', close: null },
  peer_not_found: { message: 'No such peer in your room for this message.', close: null },
  invalid_join: { message: 'The "join" message is invalid.', close: 1008 },
  broadcaster_exists: { message: 'This room already has a broadcaster.', close: 1008 },
  join_timeout: { message: 'No "join" arrived in time.', close: 1008 },
  room_full: { message: 'This room is full.', close: 1013 },
  binary_frame: { message: 'Binary frames are not part of the protocol.', close: 1003 },
  protocol_violation: { message: 'Too many protocol errors; closing.', close: 1008 },
  internal_error: { message: 'Internal server error.', close: 1011 },
  unauthorized: { message: 'Not allowed to join this room in this role (missing, invalid or expired token).', close: 1008 },
  rate_limited: { message: 'Too many messages or connections; slow down.', close: 1008 },
  broadcaster_replaced: { message: 'Another broadcaster took over this room.', close: 1008 },
  chat_disabled: { message: 'The broadcaster has turned chat off in this room.', close: null },
  chat_rate_limited: { message: 'Too many chat messages; wait a moment.', close: null },
  sfu_unavailable: { message: 'The media server is not reachable right now.', close: null },
  sfu_unauthorized: { message: 'The media server refused our credentials.', close: null },
  sfu_room_not_found: { message: 'The media server has no such room (it may have restarted).', close: null },
  sfu_feed_not_found: { message: 'The media server has no such publisher in this room.', close: null },
  sfu_bad_sdp: { message: 'The media server could not use this session description.', close: null },
  sfu_refused: { message: 'The media server refused the request.', close: null },
  sfu_publisher_silent: { message: 'The media server has received no video from the publisher for a while: the publication ended.', close: null },
  resume_invalid: { message: 'This resume token is not valid here (forged, or for another room or role); join afresh.', close: null },
  resume_expired: { message: 'This resume token has expired; join afresh.', close: null },
  layer_report_rate_limited: { message: 'Too many layer reports; one a second is enough.', close: null },
  resumed_elsewhere: { message: 'This connection was resumed by another one.', close: 1008 },
  whip_no_sfu: { message: 'WHIP ingest needs the media server (SFU), and this server runs none: see README "Broadcast from OBS".', close: null },
  whip_unsupported_media_type: { message: 'WHIP: send an offer as application/sdp, trickled candidates as application/trickle-ice-sdpfrag.', close: null },
  whip_body_too_large: { message: 'WHIP: the request body is too large.', close: null },
  whip_bad_sdp: { message: 'WHIP: the body is not a readable SDP offer or fragment.', close: null },
  whip_unsupported_codec: { message: 'WHIP: the offer has media the room cannot carry (video: VP8 or H.264; audio: Opus).', close: null },
  whip_not_found: { message: 'WHIP: no such session (it ended, or never existed).', close: null },
  whip_method_not_allowed: { message: 'WHIP: this method is not allowed on this URL.', close: null },
  whip_precondition_failed: { message: 'WHIP: the entity tag does not match this session.', close: null },
  whip_ice_restart_unsupported: { message: 'WHIP: ICE restarts are not supported; DELETE this session and start a new one.', close: null },
} as const satisfies Record<string, { message: string; close: number | null }>;

/** A stable error code from {@link ERRORS}. */
export type ErrorCode = keyof typeof ERRORS;

/** All error codes, in catalogue order (used to build the `error` message schema). */
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/**
 * WebSocket close codes the server uses (RFC 6455 §7.4.1). 1009 is sent by `ws` itself when a frame exceeds the
 * payload limit; 1001 on graceful shutdown; 1013 (try again later, IANA registry) after `room_full`. Clients must not
 * reconnect after {@link CLOSE_NO_RETRY} codes.
 */
export const CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** Error codes after which reconnecting with the same request cannot succeed; pages stop retrying and say why. */
export const CLOSE_NO_RETRY: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_join',
  'broadcaster_exists',
  'unauthorized',
  'broadcaster_replaced',
  'room_full',
  'resumed_elsewhere',
]);

/**
 * A protocol error with a stable `code` from the catalogue; thrown by clients when the server answers `error`.
 *
 * @param code    catalogue key
 * @param message human-readable text (defaults to the catalogue's)
 * @param cause   the underlying error, if any
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string = ERRORS[code].message, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
