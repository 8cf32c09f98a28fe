/**
 * The server under test as a child process of its own (spawned, never spawnSync), so its CPU time and memory can be
 * read from `/proc/<pid>` apart from the load generator's: OnAir's real entry point (`server/index.ts`) or the
 * plain `ws` relay of plain-ws-server.ts, optionally pinned to one core with `taskset`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/free-port.ts';
import { processCpuMs, processRssBytes } from '../lib/proc.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = { onair: `${ROOT}server/index.ts`, plain: `${ROOT}scripts/bench/plain-ws-server.ts` } as const;
const GC_PRELOAD = `${ROOT}scripts/bench/gc-preload.ts`;

/**
 * OnAir's configuration for the benchmark: loopback only, no STUN, quiet logs, and limits far above any load the
 * benchmark makes (the names of issue 4's per-IP caps and rate limits; unknown names are ignored by the config).
 * Add a variable here, or pass `--server-env NAME=VALUE` to `npm run bench`.
 */
export const BENCH_SERVER_ENV: Readonly<Record<string, string>> = {
  HOST: '127.0.0.1',
  STUN_URLS: 'none',
  LOG_LEVEL: 'warn',
  MAX_VIEWERS: '10000',
  MAX_CONNECTIONS_PER_IP: '10000',
  MESSAGE_RATE_PER_S: '1000000',
  MESSAGE_BURST: '1000000',
  // The mesh parts measure the mesh; the audience part turns the SFU on.
  SFU: 'off',
};

export type ServerKind = keyof typeof ENTRY;

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  /** `http://127.0.0.1:<port>` and `ws://127.0.0.1:<port>/ws`. */
  httpUrl: string;
  wsUrl: string;
  /** CPU time (user + system) the server has used, in ms (10 ms resolution). */
  cpuMs(): number;
  /** Resident set size now, in bytes. */
  rssBytes(): number;
  /** Run a full garbage collection in the server and wait for it. */
  gc(): Promise<void>;
  /** SIGKILL it (no goodbye to anyone) and wait until it has exited. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** Resolve once `port` accepts TCP connections; reject when the child exits first or after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`the server did not listen on ${port} within ${timeoutMs} ms: ${output()}`);
}

/**
 * Start a server process and wait until it accepts connections.
 *
 * @param kind `onair` or `plain`
 * @param opts `core`: pin it to this CPU with taskset (when taskset exists); `env`: variables over {@link BENCH_SERVER_ENV};
 *   `port`: listen there (to start a server again where a killed one was) rather than on a free port
 * @throws Error with the server's output when it exits or does not listen within 20 s
 */
export async function startServerProcess(kind: ServerKind, opts: { core?: number; env?: Record<string, string>; port?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const node = [process.execPath, '--expose-gc', '--import=tsx', `--import=${GC_PRELOAD}`, ENTRY[kind]];
  const pin = opts.core !== undefined && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', String(opts.core)] : [];
  const [command, ...args] = [...pin, ...node];
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, ...BENCH_SERVER_ENV, ...opts.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const pid = child.pid!;
  return {
    kind,
    pid,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    cpuMs: () => processCpuMs(pid) ?? 0,
    rssBytes: () => processRssBytes(pid) ?? 0,
    gc: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server did not answer the GC request')), 10_000);
        child.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send('gc');
      }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
