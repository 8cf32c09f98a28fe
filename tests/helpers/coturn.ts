/**
 * A real coturn TURN server (RFC 8656) on 127.0.0.1 for tests, checking TURN REST credentials with
 * `use-auth-secret` (draft-uberti-behave-turn-rest). Resolves once coturn says its UDP listener is open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './ports.ts';

export interface Coturn {
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  secret: string;
  /** Every line coturn logged so far. */
  log: string[];
  stop(): Promise<void>;
}


/**
 * Start `turnserver` (coturn) on loopback with a shared secret.
 * @param secret the `static-auth-secret` (give the OnAir server the same as `TURN_SECRET`)
 * @throws Error when turnserver is not installed or exits before it is ready
 */
export async function startCoturn(secret: string): Promise<Coturn> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'onair-coturn-'));
  const child: ChildProcess = spawn('turnserver', [
    '-n', '--verbose', '--log-file=stdout', '--simple-log',
    '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--min-port=49152', '--max-port=65535',
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=onair.test',
    '--allow-loopback-peers', '--no-cli', '--no-tls', '--no-dtls', '--fingerprint', '--no-software-attribute',
    `--pidfile=${join(dir, 'turnserver.pid')}`, `--userdb=${join(dir, 'turndb')}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const ready = new RegExp(`UDP listener opened on\\s*:\\s*127\\.0\\.0\\.1:${port}\\b`);
    child.once('error', (err) => reject(new Error(`cannot run turnserver (install coturn): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`turnserver exited with ${code} before it was ready:\n${log.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      if (ready.test(line)) resolve();
    });
    createInterface({ input: child.stderr! }).on('line', (line) => log.push(line));
  });
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
