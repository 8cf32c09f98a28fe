/**
 * A publisher page on an origin of its own (another loopback port than OnAir's, so the WHIP requests are cross-origin
 * and CORS is exercised), running Eyevinn's WHIP web client (`@eyevinn/whip-web-client`, bundled for the browser by
 * esbuild) on the fake camera. The page's `window.whip` holds `start(endpoint, token, videoCodec)` and `stop()`.
 */
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'puppeteer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What the page runs: the client with no ICE servers of its own (Google's STUN, its default, is unreachable here),
 * and only one video codec offered, set with `setCodecPreferences` before the offer is made, as an encoder offers one
 * (Janus takes the room's first codec the offer has: VP8 over H.264 when both are offered).
 */
const ENTRY = `
import { WHIPClient } from '@eyevinn/whip-web-client';
let client = null;
window.whip = {
  async start(endpoint, token, videoCodec) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360, frameRate: 30 } });
    client = new WHIPClient({
      endpoint,
      opts: { authkey: token, iceServers: [] },
      peerConnectionFactory(configuration) {
        const pc = new RTCPeerConnection(configuration);
        const createOffer = pc.createOffer.bind(pc);
        pc.createOffer = async (options) => {
          const only = RTCRtpSender.getCapabilities('video').codecs.filter((c) =>
            ['video/' + videoCodec.toLowerCase(), 'video/rtx'].includes(c.mimeType.toLowerCase()),
          );
          for (const t of pc.getTransceivers()) {
            if (t.sender.track && t.sender.track.kind === 'video') t.setCodecPreferences(only);
          }
          return createOffer(options);
        };
        window.whipPeer = pc;
        return pc;
      },
    });
    await client.ingest(stream);
    return client.getResourceUrl();
  },
  async stop() {
    await client.destroy();
  },
  canSend(videoCodec) {
    return RTCRtpSender.getCapabilities('video').codecs.some((c) => c.mimeType.toLowerCase() === 'video/' + videoCodec.toLowerCase());
  },
};
`;

/** Serve the publisher page and its bundle from a loopback port of its own. */
export async function whipPublisherServer(): Promise<{ url: string; close(): Promise<void> }> {
  const built = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110'],
    write: false,
    logLevel: 'warning',
  });
  const script = built.outputFiles[0]!.text;
  const server: Server = createServer((req, res) => {
    if (req.url === '/whip.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>WHIP publisher</title><script src="/whip.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    // Chromium keeps its connections open: close them, or close() waits for the browser.
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

/** Open the publisher page. */
export async function openWhipPublisher(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('WHIP publisher page error:', err));
  await page.goto(url);
  await page.waitForFunction(() => 'whip' in window);
  return page;
}
