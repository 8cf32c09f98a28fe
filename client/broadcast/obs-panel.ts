/**
 * The "Broadcast with OBS" panel: the room's WHIP URL (RFC 9725, `POST /whip/<room>` on this page's origin) for OBS's
 * Settings → Stream → Server, and where its Bearer Token comes from: the broadcaster token this page was opened with
 * (`#token=…`, a token for this very room and role), or else how the server's operator mints one. Hidden for a room
 * name the server would refuse.
 */
import { tokenFromFragment } from '../shared/token.ts';

/** The WHIP endpoint for `room` on the page's own origin. */
export function whipUrl(room: string, base: string = window.location.href): string {
  return new URL(`/whip/${encodeURIComponent(room)}`, base).href;
}

export interface ObsPanelElements {
  /** What holds the panel (hidden while the room name is invalid). */
  box: HTMLElement;
  /** The read-only field showing the WHIP URL. */
  server: HTMLInputElement;
  /** Where the Bearer Token's origin is said. */
  token: HTMLElement;
}

export class ObsPanel {
  constructor(private readonly el: ObsPanelElements) {}

  hide(): void {
    this.el.box.hidden = true;
  }

  /** Show the URL and the token's origin for `room`. */
  show(room: string): void {
    this.el.box.hidden = false;
    this.el.server.value = whipUrl(room);
    const token = tokenFromFragment();
    this.el.token.textContent = token
      ? `Bearer Token: the token this page was opened with (the part after #token= in its address); it is valid for room "${room}" until it expires.`
      : `Bearer Token: ask the server's operator for a broadcaster token (npm run token -- --room ${room} --role broadcaster --ttl 12h). A server without BROADCAST_SECRET accepts OBS only on its own machine, with any token.`;
  }
}
