/**
 * What the watcher page says when the server refuses it or the broadcast ends, by error code.
 */

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
  return `nothing is live in room “${room}” yet; this page starts playing as soon as it is (check the room name in the link if you expected a broadcast)`;
}
