/**
 * Errors from the SFU (Janus WebRTC Server) path: the `sfu_*` entries of the one protocol error catalogue
 * (`protocol/errors.ts`), with a stable `code`, a human message and no close code (none closes a connection: the room
 * falls back to the mesh).
 *
 * {@link fromJanusError} turns what janode rejects with (core Janus API errors "403 Unauthorized", VideoRoom plugin
 * errors with `_code`, transport failures) into an {@link SfuError}. Janus's codes: core `janus/apierror.h`,
 * VideoRoom `JANUS_VIDEOROOM_ERROR_*` in `plugins/janus_videoroom.c` (1.1.x).
 */
import { ERRORS, type ErrorCode } from '../../protocol/errors.ts';

/** The SFU entries of the catalogue, by code. */
export const SFU_ERRORS = Object.fromEntries(Object.entries(ERRORS).filter(([code]) => code.startsWith('sfu_'))) as Pick<
  typeof ERRORS,
  Extract<ErrorCode, `sfu_${string}`>
>;

/** A stable SFU error code from {@link SFU_ERRORS}. */
export type SfuErrorCode = keyof typeof SFU_ERRORS;

/**
 * An SFU request that failed. `janusCode` is Janus's own numeric code when Janus answered (e.g. 426 "No such room"),
 * null for transport failures; `cause` keeps janode's error.
 */
export class SfuError extends Error {
  readonly code: SfuErrorCode;
  readonly janusCode: number | null;
  constructor(code: SfuErrorCode, options: { janusCode?: number | null; detail?: string; cause?: unknown } = {}) {
    super(options.detail ? `${SFU_ERRORS[code].message} (${options.detail})` : SFU_ERRORS[code].message, { cause: options.cause });
    this.name = 'SfuError';
    this.code = code;
    this.janusCode = options.janusCode ?? null;
  }
}

/** Janus codes (core and VideoRoom) → our codes. Anything else Janus answers with is `sfu_refused`. */
const BY_JANUS_CODE: ReadonlyMap<number, SfuErrorCode> = new Map([
  [403, 'sfu_unauthorized'], // JANUS_ERROR_UNAUTHORIZED (api_secret)
  [405, 'sfu_unauthorized'], // JANUS_ERROR_UNAUTHORIZED_PLUGIN
  [458, 'sfu_unavailable'], // JANUS_ERROR_SESSION_NOT_FOUND (Janus restarted or the session timed out)
  [459, 'sfu_unavailable'], // JANUS_ERROR_HANDLE_NOT_FOUND
  [464, 'sfu_bad_sdp'], // JANUS_ERROR_JSEP_UNKNOWN_TYPE
  [465, 'sfu_bad_sdp'], // JANUS_ERROR_JSEP_INVALID_SDP
  [469, 'sfu_bad_sdp'], // JANUS_ERROR_UNEXPECTED_ANSWER
  [426, 'sfu_room_not_found'], // JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM
  [428, 'sfu_feed_not_found'], // JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED
  [431, 'sfu_bad_sdp'], // JANUS_VIDEOROOM_ERROR_INVALID_SDP_TYPE
  [433, 'sfu_unauthorized'], // JANUS_VIDEOROOM_ERROR_UNAUTHORIZED (admin_key, room secret)
  [437, 'sfu_bad_sdp'], // JANUS_VIDEOROOM_ERROR_INVALID_SDP
]);

/** What janode throws when the connection is gone or a request was never answered. */
const TRANSPORT_FAILURE = /connection closed|unexpected disconnection|timeout|not open|has been detached|session destroyed|CLOSED|ECONNREFUSED/i;

/**
 * Classify a janode rejection.
 *
 * @param err what a janode call rejected with: an Error whose message starts with Janus's code ("426 No such room
 *            (x)"), possibly with a `_code` property (VideoRoom), or a transport error
 * @returns an {@link SfuError} (returned as is when `err` already is one)
 */
export function fromJanusError(err: unknown): SfuError {
  if (err instanceof SfuError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const pluginCode = (err as { _code?: unknown } | null)?._code;
  const leading = /^(\d{3})\b/.exec(message)?.[1];
  const janusCode = typeof pluginCode === 'number' ? pluginCode : leading ? Number(leading) : null;
  if (janusCode !== null) {
    return new SfuError(BY_JANUS_CODE.get(janusCode) ?? 'sfu_refused', { janusCode, detail: message, cause: err });
  }
  if (TRANSPORT_FAILURE.test(message)) return new SfuError('sfu_unavailable', { detail: message, cause: err });
  return new SfuError('sfu_refused', { detail: message, cause: err });
}
