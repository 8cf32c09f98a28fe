/**
 * A real Redis (Debian's `redis-server`, 7.x) on 127.0.0.1 for the tests and the benchmark: a free port, its own
 * temporary directory, no persistence (no RDB snapshot, no AOF), so a restart starts empty, as a crashed Redis without
 * disks would. It can be SIGKILLed and started again on the same port, to test what the nodes do while it is gone and
 * after it is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port.ts';

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` (what `REDIS_URL` takes). */
  url: string;
  port: number;
  /** Every line it logged so far, across restarts. */
  log: string[];
  /** The process id of the running redis-server (undefined while it is killed). */
  pid(): number | undefined;
  /** SIGKILL it (no shutdown, no save) and wait until it is gone. */
  kill(): Promise<void>;
  /** Start it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stop it for good and remove its directory. */
  stop(): Promise<void>;
}

/** Start `redis-server` and resolve once it accepts connections. */
async function spawnRedis(port: number, dir: string, log: string[]): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes',
    '--logfile', '', '--loglevel', 'notice',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`cannot run redis-server (install redis-server): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${log.join('\n')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      if (line.includes('Ready to accept connections')) resolve();
    });
    createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  });
  return { child, exited };
}

/**
 * Start a Redis for one test.
 * @throws Error when redis-server is not installed or exits before it is ready
 */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'onair-redis-'));
  const log: string[] = [];
  let running: { child: ChildProcess; exited: Promise<void> } | null = await spawnRedis(port, dir, log);
  const kill = async () => {
    if (!running) return;
    const { child, exited } = running;
    running = null;
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    log,
    pid: () => running?.child.pid,
    kill,
    async restart() {
      await kill();
      running = await spawnRedis(port, dir, log);
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
