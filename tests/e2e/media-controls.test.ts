/**
 * The broadcaster's media controls in headless Chromium (fake camera, fake screen, fake microphone): switching to
 * screen share, audio only and back swaps tracks on the live watcher without renegotiating; mute; quality applied
 * to what every watcher receives; local recording gives a WebM file; the watch link, its Copy button and QR code.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import { startE2e } from '../helpers/e2e.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';

const POLL = { polling: 200 } as const;
const { server, chromium } = await startE2e(t);

const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, 'controls');
const watcher = await openWatcher(chromium.browser, server.httpUrl, 'controls');
await clickButton(broadcaster, 'Start broadcast');
await waitForState(watcher, 'live');
await waitForFramesAbove(watcher, 0);
// The watcher's peer connection and its negotiated answer: a renegotiation would replace either.
await watcher.evaluate(() => {
  const pc = (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection()!;
  (window as unknown as { firstPc: RTCPeerConnection; firstSdp: string }).firstPc = pc;
  (window as unknown as { firstSdp: string }).firstSdp = pc.currentLocalDescription!.sdp;
});

/** True while the watcher has the same peer connection with the same negotiated session. */
const sameSession = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { firstPc: RTCPeerConnection; firstSdp: string };
    const pc = (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection();
    return pc === w.firstPc && pc.currentLocalDescription?.sdp === w.firstSdp && pc.signalingState === 'stable';
  });

/** What the broadcaster's video senders carry: track label, or null for none. */
const videoSenders = (page: Page) =>
  page.evaluate(() =>
    (window.onair as { peerConnections(): RTCPeerConnection[] })
      .peerConnections()
      .flatMap((pc) => pc.getTransceivers().filter((tr) => tr.receiver.track.kind === 'video').map((tr) => tr.sender.track?.label ?? null)),
  );

/** Choose a source and wait until the page sends its tracks (a new video track, or none for audio only). */
async function chooseSource(value: string): Promise<void> {
  const before = await broadcaster.evaluate(() => (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]?.id ?? null);
  await broadcaster.bringToFront();
  await broadcaster.select('#source', value);
  await broadcaster.waitForFunction(
    (v, old) => {
      const id = (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]?.id ?? null;
      return v === 'audio' ? id === null : id !== null && id !== old;
    },
    POLL,
    value,
    before,
  );
}

/**
 * Wait until the broadcaster's video sender encodes the track `trackId` (its `media-source` stats) and has encoded
 * more frames of it since first seen, then until the watcher decodes more frames.
 */
async function flowsFrom(trackId: string): Promise<void> {
  await broadcaster.waitForFunction(
    async (id) => {
      const pc = (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections()[0]!;
      const stats = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
      const out = [...stats.values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      if (!out || stats.get(String(out.mediaSourceId))?.trackIdentifier !== id) return false;
      const seen = ((window as unknown as { firstFrames?: Record<string, number> }).firstFrames ??= {});
      seen[id] ??= Number(out.framesEncoded);
      return Number(out.framesEncoded) > seen[id];
    },
    POLL,
    trackId,
  );
  const frames = await waitForFramesAbove(watcher, 0);
  await waitForFramesAbove(watcher, frames);
}

t.test('screen share, audio only and back to the camera, without renegotiating', async (t) => {
  const cameraLabel = (await videoSenders(broadcaster))[0];
  await chooseSource('screen');
  const screen = await broadcaster.evaluate(() => {
    const track = (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]!;
    return { id: track.id, label: track.label, surface: track.getSettings().displaySurface };
  });
  t.equal(screen.surface, 'monitor', `a screen capture (${screen.label})`);
  t.not((await videoSenders(broadcaster))[0], cameraLabel, 'the sender now carries the screen');
  await flowsFrom(screen.id);
  t.pass('the screen is encoded and the watcher decodes it');
  t.ok(await sameSession(watcher), 'same peer connection, no new offer/answer');

  await chooseSource('audio');
  t.same(await videoSenders(broadcaster), [null], 'audio only: the video sender carries no track');
  const audio = await broadcaster.evaluate(() => (window.onair as { stream(): MediaStream }).stream().getAudioTracks().length);
  t.equal(audio, 1, 'audio still goes out');
  t.equal(await broadcaster.$eval('#mute-camera', (b) => (b as HTMLButtonElement).disabled), true, 'nothing to mute on camera');
  t.ok(await sameSession(watcher), 'still the same session');

  await chooseSource('camera');
  const camera = await broadcaster.evaluate(() => (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]!.id);
  await flowsFrom(camera);
  t.pass('back on the camera, encoded and decoded');
  t.ok(await sameSession(watcher), 'three switches, still the first session');
});

t.test('mute camera and microphone disable the tracks every sender carries', async (t) => {
  await clickButton(broadcaster, 'Mute camera');
  await clickButton(broadcaster, 'Mute microphone');
  const enabled = await broadcaster.evaluate(() =>
    (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections().flatMap((pc) => pc.getSenders().map((s) => s.track?.enabled)),
  );
  t.same(enabled, [false, false], 'audio and video senders carry disabled tracks');
  t.equal(await broadcaster.$eval('#mute-camera', (b) => b.textContent), 'Unmute camera', 'the label says what a press does');
  t.equal(await broadcaster.$eval('#mute-camera', (b) => b.getAttribute('aria-pressed')), null, 'and nothing else (a screen reader would hear "Unmute camera, pressed")');
  await clickButton(broadcaster, 'Unmute camera');
  await clickButton(broadcaster, 'Unmute microphone');
  const again = await broadcaster.evaluate(() =>
    (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections().flatMap((pc) => pc.getSenders().map((s) => s.track?.enabled)),
  );
  t.same(again, [true, true]);
});

t.test('360p: the capture becomes 640×360, so no sender sends more than 360 lines', async (t) => {
  await broadcaster.bringToFront();
  await broadcaster.select('#quality', '360p');
  await broadcaster.waitForFunction(() => (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]?.getSettings().height === 360, POLL);
  const settings = await broadcaster.evaluate(() => (window.onair as { stream(): MediaStream }).stream().getVideoTracks()[0]!.getSettings());
  t.same([settings.width, settings.height], [640, 360], 'the track being sent is 640×360');
  // Every sender encodes that track: wait until their outbound video has caught up with the new size.
  await broadcaster.waitForFunction(async () => {
    const heights: number[] = [];
    for (const pc of (window.onair as { peerConnections(): RTCPeerConnection[] }).peerConnections()) {
      (await pc.getStats()).forEach((s: { type: string; kind?: string; frameHeight?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') heights.push(s.frameHeight ?? 0);
      });
    }
    return heights.length > 0 && heights.every((h) => h > 0 && h <= 360);
  }, POLL);
  await watcher.waitForFunction(() => {
    const v = document.querySelector('video')!;
    return v.videoHeight > 0 && v.videoHeight <= 360;
  }, POLL);
  const size = await watcher.$eval('video', (v) => `${(v).videoWidth}×${(v).videoHeight}`);
  t.pass(`the watcher receives ${size}`);
  t.ok(await sameSession(watcher), 'no renegotiation');
});

t.test('local recording gives a WebM file to download', async (t) => {
  await clickButton(broadcaster, 'Record');
  // At least one chunk (the recorder emits one a second) before stopping.
  await waitForFramesAbove(watcher, (await waitForFramesAbove(watcher, 0)) + 30);
  await clickButton(broadcaster, 'Stop recording');
  await broadcaster.waitForFunction(() => !(document.getElementById('recording') as HTMLAnchorElement).hidden, POLL);
  const file = await broadcaster.evaluate(async () => {
    const a = document.getElementById('recording') as HTMLAnchorElement;
    const blob = await (await fetch(a.href)).blob();
    const head = [...new Uint8Array(await blob.slice(0, 4).arrayBuffer())].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { name: a.download, type: blob.type, size: blob.size, head, text: a.textContent };
  });
  t.match(file.name, /^onair-controls-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.webm$/);
  t.equal(file.type, 'video/webm');
  t.equal(file.head, '1a45dfa3', 'starts with the EBML magic (Matroska/WebM)');
  t.ok(file.size > 1000, `${file.size} bytes`);
  t.match(file.text, /^Download recording \(\d+\.\d MB\)$/);
});

t.test('the watch link, its Copy button and QR code', async (t) => {
  const expected = `${server.httpUrl}/watch?room=controls`;
  t.equal(await broadcaster.$eval('#watch-link', (a) => (a as HTMLAnchorElement).href), expected);
  t.equal(await broadcaster.$eval('#qr', (c) => (c as HTMLCanvasElement).dataset.url), expected);
  const pixels = await broadcaster.$eval('#qr', (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    return { dark, total: data.length / 4 };
  });
  t.ok(pixels.dark > pixels.total * 0.25 && pixels.dark < pixels.total * 0.75, `a QR code is drawn (${pixels.dark}/${pixels.total} dark pixels)`);
  await chromium.browser.defaultBrowserContext().overridePermissions(server.httpUrl, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  await clickButton(broadcaster, 'Copy link');
  await broadcaster.waitForFunction(() => document.getElementById('copy-notice')?.textContent === 'Copied', POLL);
  t.equal(await broadcaster.evaluate(() => navigator.clipboard.readText()), expected, 'the link is on the clipboard');
});
