/**
 * The shareable watch link: the URL of `/watch?room=…`, a Copy button (Clipboard API, with a select-and-copy
 * fallback where it is missing), a QR code drawn on a canvas by `qrcode` (no image URL, so a strict
 * Content-Security-Policy needs nothing extra), and the `<iframe>` snippet of the embeddable player. Nothing is shown
 * for a room name the server would refuse.
 */
import QRCode from 'qrcode';

/** The watch URL for `room` on the page's own origin. */
export function watchUrl(room: string, base: string = window.location.href): string {
  const url = new URL('/watch', base);
  url.searchParams.set('room', room);
  return url.href;
}

/** The embeddable player's URL for `room` on the page's own origin. */
export function embedUrl(room: string, base: string = window.location.href): string {
  const url = new URL('/embed', base);
  url.searchParams.set('room', room);
  return url.href;
}

/**
 * The `<iframe>` that embeds the player for `room` (16:9, full width of its container; autoplay and fullscreen
 * allowed). Attribute values are escaped for HTML.
 */
export function embedSnippet(room: string, base?: string): string {
  const src = embedUrl(room, base).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" title="OnAir live video" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen style="width:100%;aspect-ratio:16/9;border:0"></iframe>`;
}

export class ShareLink {
  private url = '';

  /**
   * @param link   the anchor that shows the URL
   * @param copy   the Copy button
   * @param qr     the canvas for the QR code
   * @param notice where "Copied" is said
   * @param snippet where the embed snippet is shown
   * @param box     what holds all of them (hidden while the room name is invalid)
   */
  constructor(
    private readonly link: HTMLAnchorElement,
    copy: HTMLButtonElement,
    private readonly qr: HTMLCanvasElement,
    private readonly notice: HTMLElement,
    private readonly snippet: HTMLTextAreaElement,
    private readonly box: HTMLElement,
  ) {
    copy.addEventListener('click', () => void this.copy());
  }

  /** Show nothing (the room name is not valid). */
  hide(): void {
    this.box.hidden = true;
    this.url = '';
  }

  /** Show the link, its QR code and the embed snippet for `room`. */
  async show(room: string): Promise<void> {
    this.box.hidden = false;
    this.notice.textContent = '';
    this.snippet.value = embedSnippet(room);
    this.url = watchUrl(room);
    this.link.href = this.url;
    this.link.textContent = this.url;
    this.qr.dataset.url = this.url;
    await QRCode.toCanvas(this.qr, this.url, { margin: 1, width: 144, errorCorrectionLevel: 'M' });
    this.qr.setAttribute('aria-label', `QR code of ${this.url}`);
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.url);
      this.notice.textContent = 'Copied';
    } catch {
      // No Clipboard API (plain http) or no permission: select the link so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(this.link);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      this.notice.textContent = 'Press Ctrl+C to copy';
    }
  }
}
