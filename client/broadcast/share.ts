/**
 * The shareable watch link: the URL of `/watch?room=…`, a Copy button (Clipboard API, with a select-and-copy
 * fallback where it is missing) and a QR code drawn on a canvas by `qrcode` (no image URL, so a strict
 * Content-Security-Policy needs nothing extra).
 */
import QRCode from 'qrcode';

/** The watch URL for `room` on the page's own origin. */
export function watchUrl(room: string, base: string = window.location.href): string {
  const url = new URL('/watch', base);
  url.searchParams.set('room', room);
  return url.href;
}

export class ShareLink {
  private url = '';

  /**
   * @param link   the anchor that shows the URL
   * @param copy   the Copy button
   * @param qr     the canvas for the QR code
   * @param notice where "Copied" is said
   */
  constructor(
    private readonly link: HTMLAnchorElement,
    copy: HTMLButtonElement,
    private readonly qr: HTMLCanvasElement,
    private readonly notice: HTMLElement,
  ) {
    copy.addEventListener('click', () => void this.copy());
  }

  /** Show the link (and its QR code) for `room`. */
  async show(room: string): Promise<void> {
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
