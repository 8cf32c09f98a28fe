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

/** The watch page's state (`body[data-state]`). */
export function pageState(): string | undefined {
  return document.body.dataset.state;
}

/** Is the watch page in state `want`? */
export function pageStateIs(want: string): boolean {
  return document.body.dataset.state === want;
}

/** Keep the peer connection now shown, to compare with {@link sameConnection} later. */
export function keepConnection(): void {
  const w = window as unknown as { onair: { peerConnection(): RTCPeerConnection | null }; onairKept: RTCPeerConnection | null };
  w.onairKept = w.onair.peerConnection();
}

/** Is the shown peer connection still the one {@link keepConnection} kept? */
export function sameConnection(): boolean {
  const w = window as unknown as { onair: { peerConnection(): RTCPeerConnection | null }; onairKept: RTCPeerConnection | null };
  return w.onairKept !== null && w.onair.peerConnection() === w.onairKept;
}

/** Start the longest-gap count again (the poller of `watchGaps` keeps running). */
export function resetGap(): void {
  (window as unknown as { onairMaxGap: number }).onairMaxGap = 0;
}

/**
 * Glass to glass, for a WHIP encoder whose picture is a clock (`scripts/lib/gst-whip-publisher.py` with `clock`):
 * for each of the next `frames` frames the page's `<video>` presents (`requestVideoFrameCallback`), read the time the
 * frame was made from the 40 blocks along its top (Unix ms modulo 2^40, most significant bit first, white for 1) and
 * subtract it from the time the frame is expected on screen (`expectedDisplayTime`, on the same machine's wall
 * clock). Resolves with `frames` delays, ms, and how many frames were misread on the way (no delay of 0 to 10 s
 * came out: blocks blurred by the encoder); frames not yet at 640 × 360 are skipped.
 */
export function glassToGlass(frames: number): Promise<{ delays: number[]; misread: number }> {
  const video = document.querySelector('video')!;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const delays: number[] = [];
  let misread = 0;
  const modulus = 2 ** 40;
  return new Promise((resolve) => {
    // Object methods, not named functions: see watchFreezes.
    const reader = {
      onFrame(this: void, _now: number, meta: { expectedDisplayTime: number; width: number; height: number }): void {
        if (meta.width === 640 && meta.height === 360) {
          canvas.width = 640;
          canvas.height = 360;
          context.drawImage(video, 0, 0, 640, 360);
          const row = context.getImageData(0, 24, 640, 1).data;
          let made = 0;
          for (let bit = 0; bit < 40; bit++) made = made * 2 + (row[(bit * 16 + 8) * 4]! > 128 ? 1 : 0);
          const shown = (performance.timeOrigin + meta.expectedDisplayTime) % modulus;
          const delay = (shown - made + modulus) % modulus;
          if (delay < 10_000) delays.push(delay);
          else misread += 1;
        }
        if (delays.length >= frames) resolve({ delays, misread });
        else video.requestVideoFrameCallback(reader.onFrame);
      },
    };
    video.requestVideoFrameCallback(reader.onFrame);
  });
}

/**
 * Count the page's picture freezes from the frames its `<video>` presents (`requestVideoFrameCallback`), as W3C
 * webrtc-stats defines a freeze: a gap between two frames of at least max(3δ, δ + 150 ms), δ the mean of the
 * previous 30 intervals. Unlike `inbound-rtp.freezeCount`, a picture that stops for good counts (see
 * {@link playbackCounters}, which adds the gap still open).
 */
export function watchFreezes(): void {
  const video = document.querySelector('video')!;
  // The callback is an object method: a named function here would be wrapped by the build's keep-names helper,
  // which does not exist in the page.
  const state = {
    count: 0,
    frozenMs: 0,
    last: null as number | null,
    intervals: [] as number[],
    onFrame(this: void, now: number): void {
      if (state.last !== null) {
        const gap = now - state.last;
        const mean = state.intervals.length ? state.intervals.reduce((a, b) => a + b, 0) / state.intervals.length : 33;
        if (gap >= Math.max(3 * mean, mean + 150)) {
          state.count += 1;
          state.frozenMs += gap;
        }
        state.intervals.push(gap);
        if (state.intervals.length > 30) state.intervals.shift();
      }
      state.last = now;
      video.requestVideoFrameCallback(state.onFrame);
    },
  };
  (window as unknown as { onairFreezes: typeof state }).onairFreezes = state;
  video.requestVideoFrameCallback(state.onFrame);
}

/** A watch page's freezes (from {@link watchFreezes}), video `inbound-rtp` counters and its selected pair's local port. */
export interface PlaybackCounters {
  /** ms, the page's clock */
  at: number;
  /** Freezes ended so far; whether one is going on now; the time frozen so far (ms), the one going on included. */
  freezeCount: number;
  freezing: boolean;
  frozenMs: number;
  framesDropped: number;
  framesDecoded: number;
  frameHeight: number | null;
  localPort: number | null;
}

/** Read {@link PlaybackCounters} from the page's current peer connection. */
export async function playbackCounters(): Promise<PlaybackCounters> {
  const pc = (window as unknown as { onair: { peerConnection(): RTCPeerConnection | null } }).onair.peerConnection();
  const at = performance.now();
  const f = (window as unknown as { onairFreezes?: { count: number; frozenMs: number; last: number | null } }).onairFreezes;
  const open = f?.last != null && at - f.last >= 250 ? at - f.last : 0;
  const c: PlaybackCounters = { at, freezeCount: f?.count ?? 0, freezing: open > 0, frozenMs: (f?.frozenMs ?? 0) + open, framesDropped: 0, framesDecoded: 0, frameHeight: null, localPort: null };
  const all = new Map<string, Record<string, unknown>>();
  (await pc?.getStats())?.forEach((s: Record<string, unknown>) => all.set(String(s.id), s));
  for (const s of all.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
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
