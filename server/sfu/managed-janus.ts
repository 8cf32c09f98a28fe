/**
 * A Janus WebRTC Server that OnAir runs itself: its config written per start into a fresh temp folder (mode 0700,
 * files 0600) with a fresh random `api_secret` and VideoRoom `admin_key`, the process watched, restarted with
 * exponential back-off (the `exponential-backoff` package) when it dies, its log lines through pino, and stopped
 * (SIGTERM, then SIGKILL) with the server. Secrets never reach a log line or a command line.
 *
 * Events: `ready` (pid) each time a Janus process has its WebSocket listening; `exit` ({ code, signal }) each time
 * one ends unexpectedly. Clients reach it at {@link ManagedJanus.target}, which a restart may move to another port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { backOff } from 'exponential-backoff';
import type { Logger } from 'pino';
import type { SfuConfig } from '../config.ts';
import { findJanusLibFolder, writeJanusConfig } from './janus-config.ts';
import { janusLineLogger } from './janus-log.ts';

/** Where and how to reach a Janus: its API WebSocket URL and `api_secret`, and its VideoRoom `admin_key`. */
export interface JanusTarget {
  readonly url: string;
  readonly apiSecret: string;
  readonly adminKey: string;
}

export interface ManagedJanusOptions {
  log: Logger;
  /** The public-host settings (RTP port range, ICE interfaces, 1:1 NAT). */
  managed: SfuConfig['managed'];
  /** The Janus executable (default `janus` on PATH). */
  binary?: string;
  /** Janus's library folder (default: found by {@link findJanusLibFolder}). */
  libFolder?: string;
  /**
   * Its `api_secret` and VideoRoom `admin_key` (default: fresh random ones). For tests of several instances that
   * share them, as `JANUS_URLS` expects.
   */
  secrets?: { apiSecret: string; adminKey: string };
  /** Tests only: also open the Admin API on a loopback WebSocket (to count handles). */
  adminApi?: boolean;
  /**
   * Restart back-off: first delay and cap, ms. Defaults 250 and 10,000, each delay drawn at random up to its value
   * (full jitter); `jitter: false` (tests) waits the whole delay.
   */
  restartDelayMs?: { first: number; max: number; jitter?: boolean };
  /** How long a start may take before it counts as failed, ms (default 15,000). */
  readyTimeoutMs?: number;
}

export interface ManagedJanusEvents {
  ready: [pid: number];
  exit: [info: { code: number | null; signal: NodeJS.Signals | null }];
}

/** A running managed Janus. */
export interface ManagedJanus extends EventEmitter<ManagedJanusEvents> {
  /** Where clients connect now (loopback WebSocket). */
  target(): JanusTarget;
  /** The Admin API (tests only, when asked for): loopback WebSocket URL and `admin_secret`. */
  adminApi(): { url: string; secret: string } | null;
  /** The current Janus process id, or null between a death and its restart. */
  pid(): number | null;
  /** Stop Janus (no restart), remove its config folder. Idempotent. */
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const secret = () => randomBytes(24).toString('base64url');

/** util-linux's `setpriv` (Debian: always installed), which can set a parent-death signal before it runs a command. */
const SETPRIV = '/usr/bin/setpriv';

/**
 * The command line that runs `binary` so that it gets SIGKILL when this process dies, however it dies (Linux
 * `PR_SET_PDEATHSIG`, set by `setpriv --pdeathsig`, kept across the exec): a SIGKILLed server leaves no orphaned
 * Janus holding its ports and media sessions. Without `setpriv`, the plain command (a clean exit still stops Janus).
 */
export function diesWithUs(binary: string, args: readonly string[]): [string, string[]] {
  return existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', binary, ...args]] : [binary, [...args]];
}

/** Crashes within this window count towards a longer first restart delay (a crash loop backs off). */
const CRASH_WINDOW_MS = 60_000;

/**
 * Start Janus with OnAir's config and resolve once its API WebSocket listens.
 *
 * @throws Error when Janus's library folder cannot be found, or the first start fails (binary missing, exits early,
 *         not ready within `readyTimeoutMs`); nothing is left running then
 */
export async function startManagedJanus(options: ManagedJanusOptions): Promise<ManagedJanus> {
  const log = options.log;
  const libFolder = options.libFolder ?? findJanusLibFolder();
  if (!libFolder) throw new Error('Janus is installed without its VideoRoom plugin or WebSocket transport (apt-get install janus)');
  const binary = options.binary ?? 'janus';
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const delays = options.restartDelayMs ?? { first: 250, max: 10_000 };
  const dir = mkdtempSync(join(tmpdir(), 'onair-janus-'));
  const apiSecret = options.secrets?.apiSecret ?? secret();
  const adminKey = options.secrets?.adminKey ?? secret();
  const adminSecret = options.adminApi ? secret() : null;
  const logLine = janusLineLogger(log, [apiSecret, adminKey, adminSecret ?? '']);
  const emitter = new EventEmitter<ManagedJanusEvents>();
  let wsPort = 0;
  let adminPort = 0;
  let child: ChildProcess | null = null;
  let stopping = false;
  const crashes: number[] = [];
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  /** Spawn one Janus process; resolve when its WebSocket(s) listen; reject (and kill it) when it cannot get there. */
  async function spawnReady(): Promise<void> {
    if (stopping) throw new Error('stopping');
    wsPort = await freeLoopbackPort();
    adminPort = adminSecret ? await freeLoopbackPort() : 0;
    writeJanusConfig({
      configsFolder: dir,
      libFolder: libFolder!,
      wsPort,
      apiSecret,
      adminKey,
      rtpPortRange: options.managed.rtpPortRange,
      iceInterfaces: options.managed.iceInterfaces,
      nat11: options.managed.nat11,
      adminApi: adminSecret ? { port: adminPort, secret: adminSecret } : null,
    });
    if (stopping) throw new Error('stopping');
    const [command, args] = diesWithUs(binary, ['-F', dir, '--disable-colors']);
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const wanted = adminSecret ? 2 : 1;
    await new Promise<void>((resolve, reject) => {
      let listening = 0;
      const timer = setTimeout(() => fail(new Error(`Janus was not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      const settle = () => {
        clearTimeout(timer);
        proc.off('error', onError);
        proc.off('exit', onExit);
      };
      const fail = (err: Error) => {
        settle();
        proc.kill('SIGKILL');
        reject(err);
      };
      const onError = (err: Error) => fail(new Error(`cannot run ${binary} (apt-get install janus): ${err.message}`));
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(new Error(`Janus exited (${code ?? signal}) before it was ready`));
      proc.once('error', onError);
      proc.once('exit', onExit);
      const onLine = (line: string) => {
        logLine(line);
        if (/Websockets server started \(port \d+\)/.test(line) && ++listening === wanted) {
          settle();
          resolve();
        }
      };
      createInterface({ input: proc.stdout }).on('line', onLine);
      createInterface({ input: proc.stderr }).on('line', onLine);
    });
    proc.once('exit', (code, signal) => {
      if (child === proc) child = null;
      if (stopping) return;
      log.error({ code, signal }, 'Janus exited; restarting it');
      emitter.emit('exit', { code, signal });
      void restart();
    });
    log.info({ pid: proc.pid, port: wsPort }, 'managed Janus ready');
    emitter.emit('ready', proc.pid!);
  }

  /** Start again after a death, with back-off: longer first delays when it keeps crashing. */
  async function restart(): Promise<void> {
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
    try {
      await backOff(spawnReady, {
        delayFirstAttempt: true,
        startingDelay: Math.min(delays.max, delays.first * 2 ** (crashes.length - 1)),
        maxDelay: delays.max,
        jitter: delays.jitter === false ? 'none' : 'full',
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        retry: (err: Error, attempt: number) => {
          if (!stopping) log.warn({ err: err.message, attempt }, 'Janus restart failed; retrying');
          return !stopping;
        },
      });
    } catch (err) {
      if (!stopping) log.error({ err }, 'Janus restart gave up');
    }
  }

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    process.removeListener('exit', killOnExit);
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const hard = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(hard);
    }
    rmSync(dir, { recursive: true, force: true });
    log.info('managed Janus stopped');
  }

  try {
    await spawnReady();
  } catch (err) {
    await stop();
    throw err;
  }
  return Object.assign(emitter, {
    target: () => ({ url: `ws://127.0.0.1:${wsPort}`, apiSecret, adminKey }),
    adminApi: () => (adminSecret ? { url: `ws://127.0.0.1:${adminPort}`, secret: adminSecret } : null),
    pid: () => child?.pid ?? null,
    stop,
  });
}
