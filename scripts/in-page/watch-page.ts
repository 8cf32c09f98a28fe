/**
 * What the benchmark reads inside a watch page, and the time-to-first-frame floor it measures in a blank page
 * (handed to puppeteer's `page.evaluate`/`waitForFunction`: each function runs in the page and must use nothing
 * from its module).
 */

/** True once the page's video has played its first frame (`body[data-first-frame-ms]`). */
export function firstFrameShown(): boolean {
  return document.body.dataset.firstFrameMs !== undefined;
}

/**
 * Milestones of one watch page, ms since navigation start: `window.onair.timings()` when the page has it, else
 * `data-first-frame-ms`; plus `pageLoaded` (DOMContentLoaded end).
 */
export function joinTimings(): Record<string, number> {
  const out: Record<string, number> = {};
  const onair = (window as unknown as { onair?: { timings?: () => Record<string, unknown> } }).onair;
  for (const [key, value] of Object.entries(onair?.timings?.() ?? {})) if (typeof value === 'number') out[key] = value;
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (navigation) out.pageLoaded = navigation.domContentLoadedEventEnd;
  out.firstFrame ??= Number(document.body.dataset.firstFrameMs);
  return out;
}

/**
 * The floor: `rounds` times, two RTCPeerConnections in this page (camera already open), from creating them to the
 * first frame playing, in ms.
 */
export async function twoPeerConnectionFloor(rounds: number): Promise<number[]> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const sender = new RTCPeerConnection();
    const receiver = new RTCPeerConnection();
    sender.onicecandidate = (e) => void (e.candidate && receiver.addIceCandidate(e.candidate));
    receiver.onicecandidate = (e) => void (e.candidate && sender.addIceCandidate(e.candidate));
    for (const track of stream.getTracks()) sender.addTrack(track, stream);
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    document.body.append(video);
    const playing = new Promise<number>((resolve) => video.addEventListener('playing', () => resolve(performance.now()), { once: true }));
    receiver.ontrack = (e) => (video.srcObject = e.streams[0] ?? null);
    await sender.setLocalDescription();
    await receiver.setRemoteDescription(sender.localDescription!);
    await receiver.setLocalDescription();
    await sender.setRemoteDescription(receiver.localDescription!);
    samples.push((await playing) - start);
    sender.close();
    receiver.close();
    video.remove();
  }
  for (const track of stream.getTracks()) track.stop();
  return samples;
}

/** Whether the watch page's picture comes through the media server (`window.onair.viaMediaServer()`). */
export function viaMediaServer(): boolean {
  return (window as unknown as { onair: { viaMediaServer(): boolean } }).onair.viaMediaServer();
}

/**
 * Start watching for freezes: poll the shown peer connection's `framesDecoded` (webrtc-stats `inbound-rtp`) every
 * 10 ms and keep the longest time between two increases (a new connection's first decoded frame counts as one).
 * Read it with {@link longestGap}.
 */
export function watchGaps(): void {
  const w = window as unknown as { onair: { peerConnection(): RTCPeerConnection | null }; onairMaxGap: number };
  let last: { pc: RTCPeerConnection | null; frames: number; at: number } = { pc: null, frames: 0, at: performance.now() };
  w.onairMaxGap = 0;
  setInterval(() => {
    const pc = w.onair.peerConnection();
    void pc?.getStats().then((stats) => {
      let frames = 0;
      stats.forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
      });
      const now = performance.now();
      if (pc !== last.pc ? frames > 0 : frames > last.frames) {
        if (last.pc) w.onairMaxGap = Math.max(w.onairMaxGap, now - last.at);
        last = { pc, frames, at: now };
      }
    });
  }, 10);
}

/** The longest gap between decoded frames since {@link watchGaps}, ms. */
export function longestGap(): number {
  return (window as unknown as { onairMaxGap: number }).onairMaxGap;
}

/** A watch page's video `inbound-rtp` counters (W3C webrtc-stats) and the local UDP port of its selected pair. */
export interface PlaybackCounters {
  /** ms, the page's clock */
  at: number;
  freezeCount: number;
  /** s */
  totalFreezesDuration: number;
  framesDropped: number;
  framesDecoded: number;
  frameHeight: number | null;
  localPort: number | null;
}

/** Read {@link PlaybackCounters} from the page's current peer connection. */
export async function playbackCounters(): Promise<PlaybackCounters> {
  const pc = (window as unknown as { onair: { peerConnection(): RTCPeerConnection | null } }).onair.peerConnection();
  const c: PlaybackCounters = { at: performance.now(), freezeCount: 0, totalFreezesDuration: 0, framesDropped: 0, framesDecoded: 0, frameHeight: null, localPort: null };
  const all = new Map<string, Record<string, unknown>>();
  (await pc?.getStats())?.forEach((s: Record<string, unknown>) => all.set(String(s.id), s));
  for (const s of all.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      c.freezeCount = Number(s.freezeCount ?? 0);
      c.totalFreezesDuration = Number(s.totalFreezesDuration ?? 0);
      c.framesDropped = Number(s.framesDropped ?? 0);
      c.framesDecoded = Number(s.framesDecoded ?? 0);
      c.frameHeight = typeof s.frameHeight === 'number' ? s.frameHeight : null;
    }
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = all.get(s.selectedCandidatePairId);
      const local = pair ? all.get(String(pair.localCandidateId)) : undefined;
      c.localPort = typeof local?.port === 'number' ? local.port : null;
    }
  }
  return c;
}

/** True once the page says `live`. */
export function isLive(): boolean {
  return document.body.dataset.state === 'live';
}

/** Give the page's player a size in CSS px. */
export function sizePlayer(width: number, height: number): void {
  const video = document.querySelector('video')!;
  video.style.width = `${width}px`;
  video.style.height = `${height}px`;
  video.style.maxWidth = 'none';
}

/** Make the page drop its `layerReport`s before they leave (run before its scripts: `evaluateOnNewDocument`). */
export function dropLayerReports(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the socket as `this`
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (typeof data === 'string' && data.includes('"layerReport"')) return;
    send.call(this, data);
  };
}
