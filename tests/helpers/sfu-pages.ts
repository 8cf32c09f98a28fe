/**
 * Bare Chromium peers for the SFU tests, without OnAir's pages: a publisher sending the fake camera (optionally as 3
 * simulcast layers) and subscribers that answer Janus's offer and decode. Both live in one blank page served from
 * 127.0.0.1 (a secure context, so getUserMedia works); ICE candidates trickle to Node through an exposed function.
 */
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'puppeteer';
import type { IceCandidate, SessionDescription } from '../../server/sfu/janus-peers.ts';

/** A loopback HTTP server answering every request with an empty HTML page. */
export async function blankPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sfu</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

type Candidates = (peer: string, candidate: IceCandidate | null) => void;

/** Open the blank page; `onCandidate(peer, candidate)` gets every ICE candidate the page's peers gather. */
export async function openPeerPage(browser: Browser, url: string, onCandidate: Candidates): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('sfu page error:', err));
  await page.exposeFunction('sfuCandidate', onCandidate);
  await page.goto(url);
  return page;
}

/**
 * Create the publisher in `page`: fake camera at `width`×`height` (30 fps), one video transceiver (3 simulcast layers
 * when `simulcast`, listed from the highest to the lowest resolution: Janus 1.1 numbers substreams by that order
 * reversed, as janus.js sends them; low-to-high made substream 0 the full resolution), audio; returns its offer. The answer goes to {@link setPublisherAnswer}.
 */
export async function createPublisherOffer(page: Page, o: { width: number; height: number; simulcast: boolean }): Promise<SessionDescription> {
  return page.evaluate(async ({ width, height, simulcast }) => {
    const w = window as unknown as Record<string, unknown> & { sfuCandidate: Candidates };
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width, height, frameRate: 30 } });
    const pc = new RTCPeerConnection();
    w.publisher = pc;
    pc.onicecandidate = (e) => w.sfuCandidate('publisher', e.candidate ? e.candidate.toJSON() as IceCandidate : null);
    pc.addTransceiver(stream.getAudioTracks()[0]!, { direction: 'sendonly' });
    pc.addTransceiver(stream.getVideoTracks()[0]!, {
      direction: 'sendonly',
      ...(simulcast ? { sendEncodings: [{ rid: 'f' }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'q', scaleResolutionDownBy: 4 }] } : {}),
    });
    await pc.setLocalDescription();
    return { type: 'offer' as const, sdp: pc.localDescription!.sdp };
  }, o);
}

/** Give the publisher Janus's answer. */
export async function setPublisherAnswer(page: Page, answer: SessionDescription): Promise<void> {
  await page.evaluate(async (a) => (window as unknown as { publisher: RTCPeerConnection }).publisher.setRemoteDescription(a), answer);
}

/** Create subscriber `name` in `page` from Janus's offer; returns its answer (for `JanusSubscriber.start`). */
export async function answerSubscriberOffer(page: Page, name: string, offer: SessionDescription): Promise<SessionDescription> {
  return page.evaluate(async (n, o) => {
    const w = window as unknown as Record<string, RTCPeerConnection> & { sfuCandidate: Candidates };
    const pc = new RTCPeerConnection();
    w[n] = pc;
    pc.onicecandidate = (e) => w.sfuCandidate(n, e.candidate ? e.candidate.toJSON() as IceCandidate : null);
    pc.ontrack = (e) => {
      if (e.track.kind !== 'video') return;
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = new MediaStream([e.track]);
      document.body.append(video);
      void video.play();
    };
    await pc.setRemoteDescription(o);
    await pc.setLocalDescription();
    return { type: 'answer' as const, sdp: pc.localDescription!.sdp };
  }, name, offer);
}

/** Give page peer `name` a candidate Janus trickled. */
export async function addCandidate(page: Page, name: string, candidate: IceCandidate | null): Promise<void> {
  await page.evaluate(async (n, c) => (window as unknown as Record<string, RTCPeerConnection>)[n]!.addIceCandidate(c ?? undefined), name, candidate);
}

/**
 * Wait until subscriber `name` has decoded more than `than` video frames, optionally at `width` pixels wide; resolves
 * with `{ frames, width, height }` of its video `inbound-rtp` stats then.
 */
export async function waitForDecoded(page: Page, name: string, than: number, width?: number): Promise<{ frames: number; width: number; height: number }> {
  const handle = await page.waitForFunction(
    async (n, min, w) => {
      const pc = (window as unknown as Record<string, RTCPeerConnection>)[n];
      let found: { frames: number; width: number; height: number } | null = null;
      (await pc?.getStats())?.forEach((s: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; frameHeight?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') found = { frames: s.framesDecoded ?? 0, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0 };
      });
      const f = found as { frames: number; width: number; height: number } | null;
      return f && f.frames > min && (w === null || f.width === w) ? f : false;
    },
    { polling: 200 },
    name,
    than,
    width ?? null,
  );
  return (await handle.jsonValue()) as { frames: number; width: number; height: number };
}
