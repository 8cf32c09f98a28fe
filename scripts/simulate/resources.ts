/**
 * What the simulator process itself costs while it runs: CPU time (`process.cpuUsage`, all threads, including
 * node-datachannel's) and resident memory (`process.memoryUsage.rss`, sampled for its peak).
 */

/** CPU and memory over one measured stretch. */
export interface ResourceUsage {
  /** Wall-clock time measured, in ms. */
  wallMs: number;
  /** CPU time in user and kernel mode, in ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** (user + system) / wall, in % of one core (can exceed 100 with several threads). */
  cpuPercent: number;
  /** Resident set size: at the start, highest sampled, and at the end, in MiB. */
  rssStartMiB: number;
  rssPeakMiB: number;
  rssEndMiB: number;
}

/** A running measurement. */
export interface ResourceMeter {
  /** Stop sampling and return the usage since the meter started. */
  stop(): ResourceUsage;
}

const MIB = 1024 * 1024;

/**
 * Start measuring this process.
 *
 * @param sampleMs how often RSS is sampled for its peak, in ms (the timer does not keep the process alive)
 */
export function startResourceMeter(sampleMs = 200): ResourceMeter {
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), sampleMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const rssEnd = process.memoryUsage.rss();
      const cpu = process.cpuUsage(cpuAtStart);
      const wallMs = performance.now() - startedAt;
      return {
        wallMs,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        cpuPercent: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
        rssStartMiB: rssStart / MIB,
        rssPeakMiB: Math.max(rssPeak, rssEnd) / MIB,
        rssEndMiB: rssEnd / MIB,
      };
    },
  };
}
