/**
 * Memory per connected watcher: the server's RSS after a full GC with `count` idle watchers joined to one room,
 * minus its RSS after a GC before they connected, per watcher — for OnAir's relay and for the plain `ws` relay.
 */
import type WebSocket from 'ws';
import { startServerProcess, type ServerKind } from './server-process.ts';
import { openJoined } from './ws-client.ts';

export interface MemoryRun {
  server: ServerKind;
  watchers: number;
  /** RSS after GC before and with the watchers, in bytes; per watcher in KiB. */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  perWatcherKiB: number;
}

export interface MemoryResult {
  runs: MemoryRun[];
  /** OnAir ÷ plain `ws`, KiB per watcher (target ≤ 1.5). */
  ratio: number | null;
}

/** Open `count` watchers, 100 at a time. */
async function connectWatchers(wsUrl: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => openJoined(wsUrl, 'memory-bench', 'watcher'));
    for (const { socket } of await Promise.all(batch)) sockets.push(socket);
  }
  return sockets;
}

async function measure(kind: ServerKind, count: number, env: Record<string, string>): Promise<MemoryRun> {
  const server = await startServerProcess(kind, { env });
  try {
    // Warm up: one watcher in and out, so lazily loaded code is not counted as per-watcher memory.
    (await connectWatchers(server.wsUrl, 1)).forEach((s) => s.terminate());
    await server.gc();
    const rssBeforeBytes = server.rssBytes();
    const sockets = await connectWatchers(server.wsUrl, count);
    await server.gc();
    const rssAfterBytes = server.rssBytes();
    for (const socket of sockets) socket.terminate();
    return { server: kind, watchers: count, rssBeforeBytes, rssAfterBytes, perWatcherKiB: (rssAfterBytes - rssBeforeBytes) / count / 1024 };
  } finally {
    await server.close();
  }
}

/**
 * Measure both relays with `watchers` idle watchers each.
 */
export async function benchMemory(opts: { watchers: number; env: Record<string, string> }): Promise<MemoryResult> {
  const runs = [await measure('plain', opts.watchers, opts.env), await measure('onair', opts.watchers, opts.env)];
  const [plain, onair] = runs;
  return { runs, ratio: plain!.perWatcherKiB > 0 ? onair!.perWatcherKiB / plain!.perWatcherKiB : null };
}
