/**
 * Time to first frame of late joiners, side by side: `npx tsx scripts/measure-ttff.ts [--joins N] [--against URL...]`.
 *
 * Starts this tree's server (in process, port 0, no STUN) and headless Chromium; opens a broadcaster page on it and
 * on every `--against` server (e.g. an older build started by hand with `STUN_URLS=none`), then opens N watcher
 * tabs one after the other on each server in turn (interleaved, so both see the same machine load), each on a live
 * broadcast, and reads when its `<video>` started playing (`body[data-first-frame-ms]`, ms since navigation start)
 * and, where the page has it, the breakdown from `window.onair.timings()`. Prints p50/p95 per server and the median
 * of every milestone. A measurement to read, not a test: nothing is asserted.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Browser, Page } from 'puppeteer';
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { launchChromium } from './lib/chromium.ts';
import { distribution, percentile } from './simulate/percentiles.ts';

const POLL = { polling: 50, timeout: 30_000 } as const;

interface Join {
  ttffMs: number;
  timings: Record<string, number>;
}

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};
const options = new Command('measure-ttff')
  .option('--joins <n>', 'late joins per server', positive, 15)
  .option('--against <url...>', 'other running OnAir servers to measure in the same run (http://host:port)', [])
  .option('--room <name>', 'room name', 'ttff')
  .parse()
  .opts<{ joins: number; against: string[]; room: string }>();

/** Open the broadcaster page on `base` and go live. */
async function goLive(browser: Browser, base: string, room: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/?room=${room}`);
  await page.waitForFunction(() => !(document.getElementById('start') as HTMLButtonElement).disabled, POLL);
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.state === 'live', POLL);
  return page;
}

/** One late joiner on `base`: a new tab, until its video plays. */
async function lateJoin(browser: Browser, base: string, room: string): Promise<Join> {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/watch?room=${room}`);
    await page.waitForFunction(() => document.body.dataset.firstFrameMs !== undefined, POLL);
    return page.evaluate(() => ({
      ttffMs: Number(document.body.dataset.firstFrameMs),
      timings: (window.onair as { timings?: () => Record<string, number> }).timings?.() ?? {},
    }));
  } finally {
    await page.close();
  }
}

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', STUN_URLS: 'none', LOG_LEVEL: 'warn' }, null);
const app = await buildServer(config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP address');
const servers = [`http://127.0.0.1:${address.port}`, ...options.against];
const chromium = await launchChromium();
try {
  for (const base of servers) await goLive(chromium.browser, base, options.room);
  const joins = new Map<string, Join[]>(servers.map((s) => [s, []]));
  for (let i = 0; i < options.joins; i++) {
    for (const base of servers) joins.get(base)!.push(await lateJoin(chromium.browser, base, options.room));
    process.stderr.write(`\rjoin ${i + 1}/${options.joins}`);
  }
  process.stderr.write('\n');
  for (const [i, base] of servers.entries()) {
    const results = joins.get(base)!;
    const ttff = distribution(results.map((r) => r.ttffMs))!;
    console.log(`\n${i === 0 ? 'this tree' : base}: time to first frame over ${ttff.count} late joins (ms since navigation)`);
    console.log(`  p50 ${ttff.p50}  p95 ${ttff.p95}  min ${ttff.min}  max ${ttff.max}`);
    const milestones = [...new Set(results.flatMap((r) => Object.keys(r.timings)))];
    const medians = milestones.map((m) => [m, percentile(results.flatMap((r) => (m in r.timings ? [r.timings[m]!] : [])), 50)] as const);
    medians.sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0));
    if (medians.length > 0) console.log(`  median milestones: ${medians.map(([m, v]) => `${m} ${v}`).join(', ')}`);
  }
} finally {
  await chromium.close();
  await app.close();
}
