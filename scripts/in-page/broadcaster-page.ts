/**
 * What the CLIs read inside the broadcaster page (handed to puppeteer's `page.evaluate`/`waitForFunction`, so each
 * function runs in the page and must use nothing from its module).
 */

/** One video sender's state, from its `outbound-rtp` stats (W3C webrtc-stats). */
export interface SenderStats {
  framesPerSecond: number | null;
  /** `none`, `cpu`, `bandwidth` or `other`. */
  qualityLimitationReason: string | null;
  frameWidth: number | null;
  bytesSent: number;
}

/** True once the page's Start button is enabled (the camera is open). */
export function startEnabled(): boolean {
  return !(document.getElementById('start') as HTMLButtonElement).disabled;
}

/** The page's state once it is `live` or `error`; false before. */
export function liveOrError(): string | false {
  const state = document.body.dataset.state ?? '';
  return ['live', 'error'].includes(state) ? state : false;
}

/** The status line the page shows (`#status`). */
export function statusText(): string {
  return document.getElementById('status')?.textContent ?? '';
}

/** The video `outbound-rtp` stats of every peer connection of the page (`window.onair.peerConnections()`). */
export async function senderStats(): Promise<SenderStats[]> {
  const onair = (window as unknown as { onair: { peerConnections(): RTCPeerConnection[] } }).onair;
  const out: SenderStats[] = [];
  for (const pc of onair.peerConnections()) {
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
      out.push({
        framesPerSecond: typeof s.framesPerSecond === 'number' ? s.framesPerSecond : null,
        qualityLimitationReason: typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : null,
        frameWidth: typeof s.frameWidth === 'number' ? s.frameWidth : null,
        bytesSent: typeof s.bytesSent === 'number' ? s.bytesSent : 0,
      });
    });
  }
  return out;
}
