/**
 * The ping/pong heartbeat that finds dead connections (RFC 6455 §5.5.2–5.5.3; the `ws` README's "How to detect and
 * close broken connections"): every interval the server pings each socket; one that has not answered with a pong
 * since the previous ping is terminated, which runs its close handler (a watcher's broadcaster is told `watcherLeft`).
 */
import type WebSocket from 'ws';

/** Default ping interval, ms. A dead socket is found within two intervals. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

export class Heartbeat {
  private readonly alive = new Map<WebSocket, boolean>();
  private timer: NodeJS.Timeout | null = null;

  /** @param intervalMs time between pings, ms */
  constructor(private readonly intervalMs: number = HEARTBEAT_INTERVAL_MS) {}

  /** Watch a socket from now until it closes. */
  watch(socket: WebSocket): void {
    this.alive.set(socket, true);
    socket.on('pong', () => this.alive.set(socket, true));
    socket.once('close', () => this.alive.delete(socket));
  }

  /** Start pinging (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stop pinging. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    for (const [socket, alive] of this.alive) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!alive) {
        socket.terminate();
        continue;
      }
      this.alive.set(socket, false);
      socket.ping();
    }
  }
}
