/**
 * CPU time and memory of other processes, read from Linux's `/proc` (proc(5)): `/proc/<pid>/stat` fields 14–15
 * (utime, stime, in clock ticks) and `/proc/<pid>/status` `VmRSS`. Used by the simulator and the benchmark to
 * measure the server and the Chromium broadcaster from outside.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`), 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  cpuMs: number;
}

/** Parse `/proc/<pid>/stat`; null when the process is gone or it is not Linux. */
function stat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields after it start past the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

/**
 * CPU time (user + system) a process has used, in ms (10 ms resolution).
 *
 * @returns null when the process does not exist
 */
export function processCpuMs(pid: number): number | null {
  return stat(pid)?.cpuMs ?? null;
}

/** `pid` and all its descendants that are alive now. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  const tree: number[] = [];
  for (const queue = [pid]; queue.length > 0; ) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/**
 * CPU time used by a process and its living descendants (e.g. Chromium's browser, GPU and renderer processes), ms.
 * Descendants that exited are not counted: measure differences over a stretch where the tree stays the same.
 */
export function processTreeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (processCpuMs(p) ?? 0), 0);
}

/**
 * A process's resident set size, in bytes (`VmRSS` of `/proc/<pid>/status`).
 *
 * @returns null when the process does not exist
 */
export function processRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
