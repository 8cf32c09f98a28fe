/**
 * Driving OnAir's pages in Chromium with puppeteer: open the broadcaster and watcher pages, wait for their
 * `body[data-state]`, and read WebRTC stats (`getStats()`, W3C webrtc-stats) through the pages' `window.onair`.
 */
import type { Browser, Page } from 'puppeteer';

/** Poll every 100 ms rather than on animation frames: background tabs run none. */
const POLL = { polling: 100 } as const;

/** Record every Content-Security-Policy violation the page reports, across reloads (read with {@link cspViolations}). */
async function recordCspViolations(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { onairCspViolations?: string[] };
      (w.onairCspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

/** Count every `RTCPeerConnection` the page makes, across reloads (read with {@link peerConnectionsMade}). */
async function countPeerConnections(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { onairPeerConnectionsMade: number };
    w.onairPeerConnectionsMade = 0;
    window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, {
      construct(target, args: ConstructorParameters<typeof RTCPeerConnection>) {
        w.onairPeerConnectionsMade++;
        return new target(...args);
      },
    });
  });
}

/** How many `RTCPeerConnection`s the page has made since it was last loaded. */
export async function peerConnectionsMade(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { onairPeerConnectionsMade: number }).onairPeerConnectionsMade);
}

/** The CSP violations the page has reported since it was last loaded. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { onairCspViolations?: string[] }).onairCspViolations ?? []);
}

/** The page's URL fragment for a join token (`#token=…`), or nothing. */
const fragment = (token?: string) => (token ? `#token=${encodeURIComponent(token)}` : '');

/** Open the broadcaster page for `room` (with `token` in its fragment) and wait until the camera is ready. */
export async function openBroadcaster(browser: Browser, httpUrl: string, room: string, token?: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('broadcaster page error:', err));
  await recordCspViolations(page);
  await countPeerConnections(page);
  await page.goto(`${httpUrl}/?room=${encodeURIComponent(room)}${fragment(token)}`);
  await page.waitForFunction(() => !(document.getElementById('start') as HTMLButtonElement).disabled, POLL);
  return page;
}

/** Click a button found by its accessible name (puppeteer's ARIA query), with the tab in front. */
export async function clickButton(page: Page, name: string): Promise<void> {
  await page.bringToFront();
  const button = await page.waitForSelector(`::-p-aria(${name})`);
  if (!button) throw new Error(`no button named ${name}`);
  await button.click();
  await button.dispose();
}

/** Open a watcher page for `room` (with `token` in its fragment). */
export async function openWatcher(browser: Browser, httpUrl: string, room: string, token?: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('watcher page error:', err));
  await recordCspViolations(page);
  await countPeerConnections(page);
  await page.goto(`${httpUrl}/watch?room=${encodeURIComponent(room)}${fragment(token)}`);
  return page;
}

/** Wait until the page's `body[data-state]` is `state`. */
export async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForFunction((s) => document.body.dataset.state === s, POLL, state);
}

/**
 * Wait until the watcher page's current peer connection has decoded more than `than` video frames
 * (`framesDecoded` of its video `inbound-rtp` stats); resolves with the count then.
 */
export async function waitForFramesAbove(page: Page, than: number): Promise<number> {
  const handle = await page.waitForFunction(
    async (min) => {
      const pc = (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection();
      let frames = 0;
      (await pc?.getStats())?.forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
      });
      return frames > min ? frames : false;
    },
    { polling: 200 },
    than,
  );
  return (await handle.jsonValue()) as number;
}

/** The `<video>`'s intrinsic size in pixels. */
export async function videoSize(page: Page): Promise<{ width: number; height: number }> {
  return page.$eval('video', (v) => ({ width: (v).videoWidth, height: (v).videoHeight }));
}

/** The local and remote candidate types (host / srflx / prflx / relay) of the watcher's selected candidate pair. */
export async function selectedCandidateTypes(page: Page): Promise<{ local: string; remote: string } | null> {
  return page.evaluate(async () => {
    const pc = (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection();
    if (!pc) return null;
    const stats = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
    for (const s of byId.values()) {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
      const pair = byId.get(s.selectedCandidatePairId as string);
      const local = pair && byId.get(pair.localCandidateId as string);
      const remote = pair && byId.get(pair.remoteCandidateId as string);
      if (local && remote) return { local: String(local.candidateType), remote: String(remote.candidateType) };
    }
    return null;
  });
}
