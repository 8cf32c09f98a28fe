/**
 * The progress bar shown while watchers join and connect (cli-progress, on stderr so that stdout carries only the
 * summary). One step per watcher that has connected or failed to; once all have, it says they are receiving. The
 * live part of the line — joined, connected, failed, and the video kbit/s received by all over the last second —
 * updates as it happens.
 */
import cliProgress from 'cli-progress';
import type { RunHooks } from './run.ts';

/** Run hooks that drive the bar, and `stop()` to remove it. */
export interface JoinProgress extends RunHooks {
  stop(): void;
}

/**
 * Show a bar for `total` watchers. Nothing is drawn when `stream` is not a TTY (cli-progress's default).
 *
 * @param total  watchers in the run
 * @param stream where to draw (default stderr)
 */
export function joinProgress(total: number, stream: NodeJS.WritableStream = process.stderr): JoinProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{phase} {bar} {value}/{total} | joined {joined} | connected {connected} | failed {failed} | {kbps} kbit/s',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { phase: 'connecting', joined: 0, connected: 0, failed: 0, kbps: 0 };
  let running = true;
  const step = () => {
    if (counts.connected + counts.failed === total) counts.phase = 'receiving ';
    bar.increment(1, counts);
  };
  bar.start(total, 0, counts);
  return {
    joined() {
      counts.joined++;
      bar.update(counts);
    },
    connected() {
      counts.connected++;
      step();
    },
    live(kbps) {
      counts.kbps = Math.round(kbps);
      if (running) bar.update(counts);
    },
    finished(result) {
      if (result.connected) return;
      counts.failed++;
      step();
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
