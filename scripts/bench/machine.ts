/**
 * What the benchmark ran on: CPU count and model, memory, OS, the versions of Node.js, Chromium and the libraries
 * under test, the git commit, and the date — written at the top of the report so a figure is never read without them.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { chromiumPath } from '../lib/chromium.ts';

export interface MachineInfo {
  date: string;
  cpuCount: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  commit: string | null;
  versions: Record<string, string>;
  /** Whether the run was inside a loopback-only network namespace. */
  netns: boolean;
}

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);

/** The installed version of a dependency, from its package.json. */
function installed(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function output(command: string, args: string[]): Promise<string | null> {
  try {
    return (await run(command, args, { cwd: ROOT })).stdout.trim();
  } catch {
    return null;
  }
}

/** Describe this machine and checkout. */
export async function machineInfo(netns: boolean): Promise<MachineInfo> {
  const chromium = chromiumPath();
  return {
    date: new Date().toISOString(),
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    commit: await output('git', ['rev-parse', '--short', 'HEAD']),
    versions: {
      node: process.version,
      chromium: (chromium && (await output(chromium, ['--version']))) || 'unknown',
      fastify: installed('fastify'),
      ws: installed('ws'),
      '@fastify/websocket': installed('@fastify/websocket'),
      'node-datachannel': installed('node-datachannel'),
    },
    netns,
  };
}
