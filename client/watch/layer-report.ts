/**
 * The watcher's `layerReport`: while its video comes through the SFU, once a second ({@link REPORT_INTERVAL_MS}), how
 * it plays since the last report, so the server can pick the simulcast layer that fits it (docs/protocol.md). The
 * figures come from the video `inbound-rtp` stats (W3C webrtc-stats: `packetsLost`, `freezeCount`,
 * `totalFreezesDuration`, `framesDropped`, `jitterBufferDelay`), the selected candidate pair's
 * `availableIncomingBitrate` where the browser gives it, else the bytes received against those the SFU's RTCP sender
 * reports say it sent (`remote-outbound-rtp.bytesSent`, RFC 3550 §6.4.1), and the player's displayed size.
 */
import type { ClientMessageOf } from '../../protocol/messages.ts';

/** How often a watcher on the SFU reports, ms (the server allows 2 a second). */
export const REPORT_INTERVAL_MS = 1000;
/** Received below this share of what was sent counts as a bandwidth limit (the estimate is then what was received). */
export const RECEIVED_SHARE = 0.8;

/** The cumulative counters one `getStats()` gives (from its video `inbound-rtp` and what goes with it). */
export interface ReceiveSample {
  /** ms */
  timestamp: number;
  packetsLost: number;
  packetsReceived: number;
  freezeCount: number;
  /** s */
  totalFreezesDuration: number;
  framesDropped: number;
  /** s, summed over emitted frames */
  jitterBufferDelay: number;
  jitterBufferEmittedCount: number;
  bytesReceived: number;
  /** From the SFU's latest RTCP sender report: bytes it had sent, at `sentAt` (ms); null without one. */
  bytesSent: number | null;
  sentAt: number | null;
  /** bit/s, null when the browser gives none. */
  availableIncomingBitrate: number | null;
  frameHeight: number | null;
}

type Stat = Record<string, unknown> & { type: string; id: string };
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Read a {@link ReceiveSample} from a `getStats()` report; null when it has no video `inbound-rtp` yet. */
export function receiveSample(report: RTCStatsReport): ReceiveSample | null {
  const all: Stat[] = [];
  report.forEach((s: Stat) => all.push(s));
  const inbound = all.find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
  if (!inbound) return null;
  const remote = all.find((s) => s.type === 'remote-outbound-rtp' && s.id === inbound.remoteId) ?? all.find((s) => s.type === 'remote-outbound-rtp' && s.kind === 'video');
  const pair = all.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  return {
    timestamp: num(inbound.timestamp) ?? 0,
    packetsLost: num(inbound.packetsLost) ?? 0,
    packetsReceived: num(inbound.packetsReceived) ?? 0,
    freezeCount: num(inbound.freezeCount) ?? 0,
    totalFreezesDuration: num(inbound.totalFreezesDuration) ?? 0,
    framesDropped: num(inbound.framesDropped) ?? 0,
    jitterBufferDelay: num(inbound.jitterBufferDelay) ?? 0,
    jitterBufferEmittedCount: num(inbound.jitterBufferEmittedCount) ?? 0,
    bytesReceived: num(inbound.bytesReceived) ?? 0,
    bytesSent: num(remote?.bytesSent),
    sentAt: num(remote?.remoteTimestamp),
    availableIncomingBitrate: num(pair?.availableIncomingBitrate),
    frameHeight: num(inbound.frameHeight),
  };
}

/**
 * The `layerReport` for the interval between two samples.
 * @param displayHeight the video's displayed height in device pixels (0 when hidden)
 */
export function layerReport(now: ReceiveSample, before: ReceiveSample, displayHeight: number): ClientMessageOf<'layerReport'> {
  const d = (key: keyof ReceiveSample) => Math.max(0, ((now[key]) ?? 0) - ((before[key]) ?? 0));
  const lost = d('packetsLost');
  const received = d('packetsReceived');
  const emitted = d('jitterBufferEmittedCount');
  const seconds = (now.timestamp - before.timestamp) / 1000;
  const receivedKbps = seconds > 0 ? (8 * d('bytesReceived')) / 1000 / seconds : 0;
  const sentSeconds = now.sentAt !== null && before.sentAt !== null ? (now.sentAt - before.sentAt) / 1000 : 0;
  const sentKbps = sentSeconds > 0 && now.bytesSent !== null && before.bytesSent !== null ? (8 * d('bytesSent')) / 1000 / sentSeconds : null;
  let bandwidthKbps: number | null = null;
  if (now.availableIncomingBitrate !== null) bandwidthKbps = now.availableIncomingBitrate / 1000;
  else if (sentKbps !== null && receivedKbps < RECEIVED_SHARE * sentKbps) bandwidthKbps = receivedKbps;
  const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    type: 'layerReport',
    lossPercent: lost + received > 0 ? round(Math.min(100, (100 * lost) / (lost + received))) : 0,
    freezes: Math.round(d('freezeCount')),
    freezeMs: Math.round(1000 * d('totalFreezesDuration')),
    framesDropped: Math.round(d('framesDropped')),
    jitterBufferMs: emitted > 0 ? round((1000 * d('jitterBufferDelay')) / emitted) : 0,
    bandwidthKbps: bandwidthKbps === null ? null : round(Math.min(bandwidthKbps, 10_000_000)),
    displayHeight: Math.max(0, Math.min(16_384, Math.round(displayHeight))),
    frameHeight: now.frameHeight === null ? null : Math.min(16_384, Math.round(now.frameHeight)),
  };
}

/**
 * The height the video is displayed at, in device pixels: its content box inside the element (letterboxed to the
 * video's aspect ratio) × devicePixelRatio; 0 when the page is hidden (a background tab) or the element has no size.
 */
export function displayHeight(video: HTMLVideoElement): number {
  if (document.visibilityState === 'hidden') return 0;
  const { width, height } = video.getBoundingClientRect();
  if (width <= 0 || height <= 0) return 0;
  const content = video.videoWidth > 0 && video.videoHeight > 0 ? Math.min(height, (width * video.videoHeight) / video.videoWidth) : height;
  return content * (window.devicePixelRatio || 1);
}

/** Sends `layerReport`s while the watcher's video comes through the SFU. */
export class LayerReporter {
  private timer: ReturnType<typeof setInterval> | null = null;
  private before: ReceiveSample | null = null;
  private beforePc: RTCPeerConnection | null = null;

  /**
   * @param send  sends one report to the server
   * @param pc    the peer connection through the SFU, or null while the video comes another way
   * @param video the player
   */
  constructor(
    private readonly send: (report: ClientMessageOf<'layerReport'>) => void,
    private readonly pc: () => RTCPeerConnection | null,
    private readonly video: HTMLVideoElement,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick().catch(() => {}), REPORT_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    const pc = this.pc();
    if (!pc || pc.connectionState !== 'connected') {
      this.before = null;
      return;
    }
    const now = receiveSample(await pc.getStats());
    const before = pc === this.beforePc ? this.before : null;
    [this.before, this.beforePc] = [now, pc];
    if (now && before) this.send(layerReport(now, before, displayHeight(this.video)));
  }
}
