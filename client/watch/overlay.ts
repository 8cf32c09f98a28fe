/**
 * The watcher's stats overlay, toggled with the Stats button or the `s` key: resolution, frame rate, bitrate,
 * packet loss, jitter buffer delay, round-trip time and candidate type, from `getStats()` on the current peer
 * connection (W3C webrtc-stats), and the route (peer to peer, or via media server), refreshed every second while
 * shown.
 */
import type { Layer } from '../../protocol/messages.ts';
import { layerText } from '../shared/layer-text.ts';
import { CANDIDATE_TEXT, formatBitrate, kbps, snapshot, type StatsSnapshot } from '../shared/stats.ts';

/** How often the overlay reads `getStats()` while shown, ms. */
export const OVERLAY_REFRESH_MS = 1000;

/** The overlay's figures, as shown (also read by tests through `data-*`). */
export interface OverlayFigures {
  resolution: string;
  frameRate: string;
  bitrate: string;
  packetLoss: string;
  jitterBufferDelay: string;
  roundTripTime: string;
  candidateType: string;
}

const LABELS: Record<keyof OverlayFigures, string> = {
  resolution: 'Resolution',
  frameRate: 'Frame rate',
  bitrate: 'Bitrate',
  packetLoss: 'Packet loss',
  jitterBufferDelay: 'Jitter buffer',
  roundTripTime: 'Round trip',
  candidateType: 'Path',
};

/** The figures from two snapshots a second apart (`before` null for the first). */
export function figures(now: StatsSnapshot, before: StatsSnapshot | null): OverlayFigures {
  const lost = before ? now.packetsLost - before.packetsLost : now.packetsLost;
  const received = before ? now.packetsReceived - before.packetsReceived : now.packetsReceived;
  const emitted = now.jitterBufferEmittedCount - (before?.jitterBufferEmittedCount ?? 0);
  const delay = now.jitterBufferDelay - (before?.jitterBufferDelay ?? 0);
  return {
    resolution: now.width && now.height ? `${now.width}×${now.height}` : '–',
    frameRate: now.fps === null ? '–' : `${Math.round(now.fps)} fps`,
    bitrate: before ? formatBitrate(kbps(now.videoBytes, before.videoBytes, now.timestamp, before.timestamp)) : '–',
    packetLoss: lost + received > 0 ? `${((100 * Math.max(0, lost)) / (lost + received)).toFixed(1)} %` : '0.0 %',
    jitterBufferDelay: emitted > 0 ? `${Math.round((1000 * delay) / emitted)} ms` : '–',
    roundTripTime: now.rttMs === null ? '–' : `${Math.round(now.rttMs)} ms`,
    candidateType: now.local ? `${CANDIDATE_TEXT[now.local]}${now.remote && now.remote !== now.local ? ` ↔ ${now.remote}` : ''}` : '–',
  };
}

export class StatsOverlay {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: StatsSnapshot | null = null;
  private lastPc: RTCPeerConnection | null = null;

  /**
   * @param list   the `<dl>` drawn over the video
   * @param button the toggle button (`aria-pressed`)
   * @param pc     the current peer connection, if any
   * @param route  where the media comes from, in words ("peer to peer", "via media server")
   * @param layer  the simulcast layer the SFU sends (shown as {@link layerText} says), or null
   */
  constructor(
    private readonly list: HTMLDListElement,
    private readonly button: HTMLButtonElement,
    private readonly pc: () => RTCPeerConnection | null,
    private readonly route: () => string = () => 'peer to peer',
    private readonly layer: () => Layer | null = () => null,
  ) {
    button.addEventListener('click', () => this.toggle());
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select')) return; // typing "s" in the chat is not a shortcut
      if (event.key === 's' && !event.ctrlKey && !event.metaKey && !event.altKey) this.toggle();
    });
  }

  get shown(): boolean {
    return !this.list.hidden;
  }

  toggle(show: boolean = !this.shown): void {
    this.list.hidden = !show;
    this.button.setAttribute('aria-pressed', String(show));
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!show) return;
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => console.warn('onair: stats failed:', err)), OVERLAY_REFRESH_MS);
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const pc = this.pc();
    if (pc !== this.lastPc) this.last = null;
    this.lastPc = pc;
    const now = pc ? snapshot(await pc.getStats(), 'inbound') : null;
    const shown = now ? figures(now, this.last) : null;
    this.last = now;
    this.list.replaceChildren(
      ...Object.entries(LABELS).flatMap(([key, label]) => {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.dataset.stat = key;
        dd.textContent = shown ? shown[key as keyof OverlayFigures] : '–';
        return [dt, dd];
      }),
      ...row('Route', 'route', this.route()),
      ...row('Layer', 'layer', layerText(this.layer())),
    );
  }
}

/** One `<dt>`/`<dd>` pair; the `<dd>` tagged `data-stat`. */
function row(label: string, key: string, text: string): HTMLElement[] {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.dataset.stat = key;
  dd.textContent = text;
  return [dt, dd];
}
