/**
 * The real server as its own process (`server/index.ts`, what `npm start` runs), for tests of what only a process
 * has: signals, exit status, being killed.
 */
import type { ChildProcess } from 'node:child_process';
import { startScript } from './run-script.ts';
import { TEST_RESUME_SECRET } from './server.ts';

export interface ServerProcess {
  child: ChildProcess;
  httpUrl: string;
  wsUrl: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
}

/**
 * Start `server/index.ts` on 127.0.0.1:`port` (no STUN, the tests' `RESUME_SECRET`) with `env` on top, and wait until
 * it listens.
 *
 * @throws Error with its output when it exits before listening
 */
export async function startServerProcess(port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = startScript('server/index.ts', [], { PORT: String(port), HOST: '127.0.0.1', STUN_URLS: 'none', LOG_LEVEL: 'info', SFU: 'off', RESUME_SECRET: TEST_RESUME_SECRET, ...env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('OnAir: broadcast at')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return { child, httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, exited, output: () => output };
}
