/**
 * Finding and launching the system's Chromium for the tests and the CLI. Puppeteer downloads no browser here
 * (see `.puppeteerrc.cjs`); `scripts/install-system-deps.sh` installs Debian's `chromium`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';

/** Candidate paths, in order: `PUPPETEER_EXECUTABLE_PATH`, `CHROME_PATH`, then Debian's and others' usual places. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env.PUPPETEER_EXECUTABLE_PATH,
    env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
}

/**
 * Flags for a headless Chromium that captures from a fake camera and microphone without asking, uses loopback for
 * WebRTC, reveals host candidates as IPs (no mDNS names) and never reaches out to Google's services.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--autoplay-policy=no-user-gesture-required',
];

/** A launched browser and a function that closes it and removes its profile directory. */
export interface LaunchedChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium with {@link CHROMIUM_ARGS} and a fresh profile.
 *
 * @param extraArgs more flags, e.g. `--use-file-for-fake-video-capture=file.y4m`
 * @throws Error naming how to install Chromium when none is found
 */
export async function launchChromium(extraArgs: string[] = []): Promise<LaunchedChromium> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error('No Chromium found: run "bash scripts/install-system-deps.sh" (Debian: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH.');
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'onair-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
