/**
 * Running one of the project's TypeScript entry points as its own Node process (`node --import=tsx file`), never
 * blocking the test's event loop (no spawnSync: a test server may live in this process).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Start `file` (a path relative to the repository root) with `args` and `env` on top of this process's. */
export function startScript(file: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessByStdio<null, Readable, Readable> {
  const entry = new URL(`../../${file}`, import.meta.url).pathname;
  return spawn(process.execPath, ['--import=tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/** Run `file` to the end; resolves with its exit status and output. */
export function runScript(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = startScript(file, args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
