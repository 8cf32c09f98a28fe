/**
 * What the watcher page says: one sentence (or two) per state of the page, saying what is happening and what happens
 * next, and plain-language text for a refusal, by error code.
 */

/** The states of the watch page (and of the embeddable player), as `body[data-state]`. */
export type WatchState = 'connecting-relay' | 'waiting' | 'connecting' | 'live' | 'ended' | 'reconnecting' | 'media-reconnecting' | 'full' | 'error';

/** Plain-language text for a refusal with `code`; `room` is the room name from the link. */
export function refusalText(code: string, room: string, serverMessage: string): string {
  switch (code) {
    case 'invalid_join':
      return `“${room}” is not a valid room name (1–64 letters, digits, _ or -): check the link.`;
    case 'room_full':
      return `Room “${room}” is full: the broadcaster cannot take more watchers right now. Reload the page to try again later.`;
    case 'unauthorized':
      return 'This link’s access token was refused (it may have expired): ask the broadcaster for a new link.';
    case 'broadcaster_exists':
      return `Room “${room}” already has a broadcaster.`;
    default:
      return serverMessage;
  }
}

/** What the page says while no broadcaster is live in the room. */
export function waitingText(room: string): string {
  return `Nothing is live in room “${room}” yet. This page starts playing as soon as it is (check the room name in the link if you expected a broadcast).`;
}

/**
 * The sentence for `state` in `room`; `refusal` is {@link refusalText} for `full` and `error`.
 * Live says only "Live": the picture speaks for itself (screen readers hear the word).
 */
export function stateText(state: WatchState, room: string, refusal = ''): string {
  switch (state) {
    case 'connecting-relay':
      return 'Connecting to the server… The broadcast plays here as soon as the connection is made.';
    case 'waiting':
      return waitingText(room);
    case 'connecting':
      return 'Connecting to the broadcast… It starts playing in a moment.';
    case 'live':
      return 'Live';
    case 'ended':
      return 'The broadcast has ended. This page plays it again if the broadcaster comes back.';
    case 'reconnecting':
      return 'The connection to the server was lost. Reconnecting… A broadcast already playing keeps playing.';
    case 'media-reconnecting':
      return 'The media server is restarting. Reconnecting to it… The picture comes back by itself.';
    case 'full':
    case 'error':
      return refusal || 'Something went wrong. Reload the page to try again.';
  }
}
