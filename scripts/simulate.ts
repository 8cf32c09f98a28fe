/**
 * `npm run simulate`: load-test an OnAir room with simulated WebRTC watchers (node-datachannel peers) and print
 * how they connected and what they received.
 *
 *   npm run simulate -- --url http://localhost:3000 --room main --watchers 20 [--duration 10] [--timeout 20]
 *                       [--bind-address 127.0.0.1] [--remb-kbps 3000] [--json]
 *
 * stdout carries only the summary (text, or JSON with `--json`); the progress bar and errors go to stderr.
 * Exit status: 0 when every watcher connected and received video, 1 when any failed, 2 for a bad command line or
 * an unexpected error. Ctrl-C ends the run early and still prints the summary.
 */
import { CommanderError } from 'commander';
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
  const summary = await simulate(options, progress, stop.signal).finally(() => progress.stop());

  process.stdout.write(`${options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`);
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
