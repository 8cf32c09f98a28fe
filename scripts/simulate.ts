/**
 * `npm run simulate`: load-test an OnAir room with simulated WebRTC watchers (node-datachannel peers) and print
 * how they connected and what they received.
 *
 *   npm run simulate -- --url http://localhost:3000 --room main --watchers 20 [--ramp 10] [--duration 10]
 *                       [--rooms K] [--broadcaster none|sim|chromium] [--signaling-only] [--resolution 854x480]
 *                       [--fps 30] [--adapt on|off] [--timeout 20] [--bind-address 127.0.0.1] [--remb-kbps 3000]
 *                       [--json] [--out summary.json]
 *
 * stdout carries only the summary (text, or JSON with `--json`); the progress bar and errors go to stderr.
 * Exit status: 0 when every watcher connected and received video, 1 when any failed or the broadcaster it was
 * asked to start did not go live (stderr names the stable code, e.g. `broadcaster_failed`), 2 for a bad command
 * line or an unexpected error. Ctrl-C ends the run early and still prints the summary.
 */
import { writeFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { WatcherError } from './simulate/errors.ts';
import { cleanupNodeDataChannel } from './simulate/native.ts';
import { parseCommandLine, type SimulateOptions } from './simulate/options.ts';
import { joinProgress } from './simulate/progress.ts';
import { formatSummary } from './simulate/report.ts';
import { simulate } from './simulate/run.ts';

/** How long the process may take to exit on its own after the summary, in ms, before it is ended. */
const EXIT_GRACE_MS = 3000;

async function main(args: readonly string[]): Promise<number> {
  let options: SimulateOptions;
  try {
    options = parseCommandLine(args);
  } catch (err) {
    // commander has already printed the error or the help
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }

  const stop = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nsimulate: stopping (Ctrl-C again to quit at once)\n');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const progress = joinProgress(options.watchers);
  let summary;
  try {
    summary = await simulate(options, progress, stop.signal);
  } catch (err) {
    if (!(err instanceof WatcherError)) throw err;
    process.stderr.write(`simulate: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    progress.stop();
  }

  const json = JSON.stringify(summary, null, 2);
  if (options.out) writeFileSync(options.out, `${json}\n`);
  process.stdout.write(`${options.json ? json : formatSummary(summary)}\n`);
  if (summary.failed > 0) {
    const reasons = Object.entries(summary.failures).map(([code, f]) => `${code} × ${f.count}: ${f.example}`);
    process.stderr.write(`simulate: ${summary.failed} of ${summary.watchers} watchers failed (${reasons.join('; ')})\n`);
  }
  return summary.failed > 0 ? 1 : 0;
}

const status = await main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`simulate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 2;
});
cleanupNodeDataChannel();
process.exitCode = status;
// Every socket and peer connection is closed by now; should anything still hold the event loop, do not hang.
setTimeout(() => process.exit(status), EXIT_GRACE_MS).unref();
