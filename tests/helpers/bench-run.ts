/**
 * Running `npm run bench` (scripts/bench.ts) as its own process for the bench tests. Already inside the test's
 * namespace (or on the host's loopback), it makes no namespace of its own.
 */
import { spawn } from 'node:child_process';

const entry = new URL('../../scripts/bench.ts', import.meta.url).pathname;

/** Run the bench with `args`; resolves with its exit status and stderr. */
export function bench(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', entry, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ONAIR_BENCH_NETNS: '0' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}
