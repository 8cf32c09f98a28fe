/**
 * The broadcaster's audience panel: one row per watcher from `getStats()` on that watcher's peer connection,
 * refreshed every second: connection state, local ICE candidate type of the selected pair, round-trip time,
 * outgoing video bitrate (kbit/s) with a sparkline of the last 30 s, frame rate and resolution; the uplink total
 * (all RTP, audio and video, to every watcher) at the top. It also keeps the figures the page reports to the server
 * in `stats` messages.
 */
import type { WatcherStats } from '../../protocol/messages.ts';
import { type CandidateType, formatBitrate, kbps, snapshot, type StatsSnapshot } from '../shared/stats.ts';
import { sparkline } from './sparkline.ts';

/** How often the panel reads `getStats()`, ms. */
export const PANEL_REFRESH_MS = 1000;
/** Bitrate samples kept per watcher for the sparkline (one per refresh). */
const HISTORY = 30;

interface Row {
  id: string;
  state: RTCPeerConnectionState;
  local: CandidateType | null;
  rttMs: number | null;
  bitrateKbps: number;
  fps: number;
  width: number | null;
  height: number | null;
  history: number[];
  last: StatsSnapshot;
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export class AudiencePanel {
  private rows = new Map<string, Row>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private uplinkKbps = 0;

  /**
   * @param body        the table body that gets one row per watcher
   * @param uplink      where the uplink total is written
   * @param connections the current watchers' peer connections, by watcher id
   * @param name        what to call a connection instead of its id (the upload to the SFU: "media server"), or null
   */
  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly uplink: HTMLElement,
    private readonly connections: () => Iterable<[string, RTCPeerConnection]>,
    private readonly name: (id: string) => string | null = () => null,
  ) {}

  /** Refresh every {@link PANEL_REFRESH_MS} until {@link stop}. */
  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => console.warn('onair: stats failed:', err)), PANEL_REFRESH_MS);
    void this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Empty the panel (the broadcast stopped). */
  clear(): void {
    this.rows.clear();
    this.uplinkKbps = 0;
    this.render();
  }

  /** Read every watcher's stats once and redraw. */
  async refresh(): Promise<void> {
    const next = new Map<string, Row>();
    let uplink = 0;
    for (const [id, pc] of this.connections()) {
      const snap = snapshot(await pc.getStats(), 'outbound');
      const before = this.rows.get(id);
      const video = before ? kbps(snap.videoBytes, before.last.videoBytes, snap.timestamp, before.last.timestamp) : 0;
      if (before) uplink += kbps(snap.totalBytes, before.last.totalBytes, snap.timestamp, before.last.timestamp);
      next.set(id, {
        id,
        state: pc.connectionState,
        local: snap.local,
        rttMs: snap.rttMs,
        bitrateKbps: video,
        fps: snap.fps ?? 0,
        width: snap.width,
        height: snap.height,
        history: [...(before?.history ?? []), video].slice(-HISTORY),
        last: snap,
      });
    }
    this.rows = next;
    this.uplinkKbps = uplink;
    this.render();
  }

  /** The latest figures, as the `stats` message carries them. */
  report(): WatcherStats[] {
    return [...this.rows.values()].map((r) => ({
      id: r.id,
      state: r.state,
      candidateType: r.local,
      rttMs: r.rttMs === null ? null : Math.round(r.rttMs * 10) / 10,
      bitrateKbps: Math.round(r.bitrateKbps),
      fps: Math.round(r.fps * 10) / 10,
    }));
  }

  private render(): void {
    this.uplink.textContent = formatBitrate(this.uplinkKbps);
    const rows = [...this.rows.values()].map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.watcher = r.id;
      tr.dataset.state = r.state;
      const spark = document.createElement('td');
      spark.append(sparkline(r.history));
      tr.append(
        cell(this.name(r.id) ?? r.id.slice(0, 6), 'mono'),
        cell(r.state),
        cell(r.local ?? '–'),
        cell(r.rttMs === null ? '–' : `${Math.round(r.rttMs)} ms`),
        cell(formatBitrate(r.bitrateKbps)),
        spark,
        cell(r.fps ? `${Math.round(r.fps)}` : '–'),
        cell(r.width && r.height ? `${r.width}×${r.height}` : '–'),
      );
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('No watchers yet.', 'empty');
      td.colSpan = 8;
      tr.append(td);
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);
  }
}
