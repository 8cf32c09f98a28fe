/**
 * The one catalogue of reasons a simulated watcher (or the broadcaster the simulator starts) can fail. Codes are stable (the `--json` summary counts
 * failures by code); messages are for humans.
 */

/** Why one watcher failed. */
export const WATCHER_FAILURES = {
  unreachable: 'Could not open the WebSocket to the relay.',
  refused: 'The relay answered with an error.',
  room_full: 'The room is full: the server refused another watcher.',
  socket_closed: 'The relay closed the WebSocket.',
  no_broadcaster: 'No broadcaster went live in the room in time.',
  no_offer: 'The broadcaster sent no offer in time.',
  bad_offer: 'The offer could not be applied.',
  ice_timeout: 'ICE did not connect in time.',
  ice_failed: 'The peer connection failed or was closed.',
  broadcast_ended: 'The broadcast ended.',
  no_media: 'No video RTP arrived.',
  aborted: 'The simulation was stopped.',
  broadcaster_failed: 'The broadcaster the simulator started did not go live.',
  internal_error: 'An unexpected error in the simulator.',
} as const satisfies Record<string, string>;

/** A stable failure code from {@link WATCHER_FAILURES}. */
export type WatcherFailureCode = keyof typeof WATCHER_FAILURES;

/**
 * One watcher's failure: a catalogue `code` and a precise human `message`.
 *
 * @param code    catalogue key
 * @param message what happened (defaults to the catalogue's text)
 * @param cause   the underlying error, if any
 */
export class WatcherError extends Error {
  readonly code: WatcherFailureCode;
  constructor(code: WatcherFailureCode, message: string = WATCHER_FAILURES[code], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WatcherError';
    this.code = code;
  }
}


/**
 * The failure code for an `error` message from the relay: `room_full` keeps its own code (so a run reports the
 * server's viewer cap clearly), every other error is `refused`.
 *
 * @param code the relay's error code
 */
export function failureForRelayError(code: string): 'room_full' | 'refused' {
  return code === 'room_full' ? 'room_full' : 'refused';
}
