/**
 * The one connection to Janus (its API over a WebSocket, `janus-protocol`, through janode): one Janus session on it,
 * its health, and its reconnection. janode retries only while first connecting; once a connection is lost, this
 * module rebuilds it (and the session) with exponential back-off, and says so: `down` when the connection, session
 * or health is lost (every handle of that generation is dead, and Janus's rooms may be gone with it), `up` when a
 * new session is ready.
 *
 * Health: a Janus `keepalive` on the session every `pingIntervalMs`; no answer within `pingTimeoutMs` counts as an
 * unresponsive Janus. With the defaults (500 + 1,000 ms) a dead or frozen Janus is noticed within 1.5 s; a closed
 * WebSocket (Janus killed) is noticed at once.
 *
 * State: `connecting` → `up` ⇄ `down` → … ; `closed` after {@link JanusConnection.close}, from any state.
 */
import { EventEmitter } from 'node:events';
import { backOff } from 'exponential-backoff';
import Janode, { type Connection, type Session } from 'janode';
import VideoRoomPlugin, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import type { Logger } from 'pino';
import { fromJanusError, SfuError } from './errors.ts';
import type { JanusTarget } from './managed-janus.ts';

// janode logs to the console (its verbose level prints the api_secret): OnAir logs janode's outcomes itself.
Janode.Logger.setLevel('none');

export type JanusConnectionState = 'connecting' | 'up' | 'down' | 'closed';

export interface JanusConnectionEvents {
  /** A new session is ready; `generation` counts sessions from 1. */
  up: [info: { generation: number }];
  /** The session of `generation` is lost: its handles are dead and Janus's rooms may be gone. */
  down: [info: { generation: number; reason: string }];
}

export interface JanusConnectionOptions {
  /** Where Janus is; read at every connection attempt (a managed Janus may move to another port). */
  target: () => JanusTarget;
  log: Logger;
  /** Keepalive period, ms (default 500). */
  pingIntervalMs?: number;
  /** A keepalive unanswered this long means Janus is unresponsive, ms (default 1,000). */
  pingTimeoutMs?: number;
  /** Reconnection back-off: first delay and cap, ms (defaults 100 and 2,000). */
  reconnectDelayMs?: { first: number; max: number };
}

/** Reject with `sfu_unavailable` if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SfuError('sfu_unavailable', { detail: `${what}: no answer within ${ms} ms` })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Owns the WebSocket to Janus, its session, health checks and reconnection. */
export class JanusConnection extends EventEmitter<JanusConnectionEvents> {
  #state: JanusConnectionState = 'connecting';
  #generation = 0;
  #connection: Connection | null = null;
  #session: Session | null = null;
  #ping: NodeJS.Timeout | null = null;
  #started = false;
  readonly #options: Required<Omit<JanusConnectionOptions, 'target' | 'log'>> & Pick<JanusConnectionOptions, 'target' | 'log'>;

  constructor(options: JanusConnectionOptions) {
    super();
    this.#options = { pingIntervalMs: 500, pingTimeoutMs: 1_000, reconnectDelayMs: { first: 100, max: 2_000 }, ...options };
  }

  get state(): JanusConnectionState {
    return this.#state;
  }

  /** The current session's generation (0 before the first `up`). Handles remember theirs. */
  get generation(): number {
    return this.#generation;
  }

  /** Janus's id of the current session (for the Admin API's `list_handles`), or null when not up. */
  get sessionId(): number | null {
    return this.#state === 'up' ? (this.#session?.id ?? null) : null;
  }

  /** The VideoRoom `admin_key` of the Janus currently targeted. */
  adminKey(): string {
    return this.#options.target().adminKey;
  }

  /** Begin connecting (and reconnecting whenever the connection is lost), until {@link close}. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#connectLoop();
  }

  /**
   * Resolve when the connection is up (at once if it is).
   * @throws SfuError `sfu_unavailable` if it is closed first
   */
  async whenUp(): Promise<void> {
    if (this.#state === 'up') return;
    if (this.#state === 'closed') throw new SfuError('sfu_unavailable', { detail: 'connection closed' });
    await new Promise<void>((resolve, reject) => {
      const onUp = () => {
        this.off('down', onDown);
        resolve();
      };
      const onDown = () => {
        if (this.#state !== 'closed') return;
        this.off('up', onUp);
        this.off('down', onDown);
        reject(new SfuError('sfu_unavailable', { detail: 'connection closed' }));
      };
      this.once('up', onUp);
      this.on('down', onDown);
    });
  }

  /**
   * Attach a VideoRoom handle to the current session.
   *
   * @returns the handle and the generation it belongs to
   * @throws SfuError `sfu_unavailable` when not up (or the attach is not answered within the ping timeout ×2)
   */
  async attachVideoRoom(): Promise<{ handle: VideoRoomHandle; generation: number }> {
    const session = this.#session;
    if (this.#state !== 'up' || !session) throw new SfuError('sfu_unavailable', { detail: `connection ${this.#state}` });
    const generation = this.#generation;
    try {
      const handle = await withTimeout(session.attach(VideoRoomPlugin), this.#options.pingTimeoutMs * 2, 'attach');
      return { handle, generation };
    } catch (err) {
      throw fromJanusError(err);
    }
  }

  /** Stop: no more reconnection; the session is destroyed (best effort) and the WebSocket closed. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasUp = this.#state === 'up';
    this.#state = 'closed';
    this.#stopPing();
    const session = this.#session;
    const connection = this.#connection;
    this.#session = null;
    this.#connection = null;
    if (wasUp) this.emit('down', { generation: this.#generation, reason: 'closed' });
    await withTimeout(session?.destroy() ?? Promise.resolve(), 1_000, 'destroy session').catch(() => {});
    await withTimeout(connection?.close() ?? Promise.resolve(), 1_000, 'close').catch(() => {});
  }

  async #connectLoop(): Promise<void> {
    const { first, max } = this.#options.reconnectDelayMs;
    try {
      await backOff(() => this.#connectOnce(), {
        startingDelay: first,
        maxDelay: max,
        jitter: 'full',
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        retry: (err: Error, attempt: number) => {
          if (this.#state === 'closed') return false;
          const level = attempt === 1 || attempt % 20 === 0 ? 'warn' : 'debug';
          this.#options.log[level]({ err: fromJanusError(err).message, attempt }, 'cannot reach Janus yet; retrying');
          return true;
        },
      });
    } catch {
      // closed while connecting
    }
  }

  async #connectOnce(): Promise<void> {
    if (this.#state === 'closed') throw new Error('closed');
    const target = this.#options.target();
    const timeoutMs = this.#options.pingTimeoutMs * 2;
    const connection = await withTimeout(
      Janode.connect({ address: { url: target.url, apisecret: target.apiSecret }, max_retries: 0, retry_time_secs: 1, ws_options: { handshakeTimeout: timeoutMs } }),
      timeoutMs,
      'connect',
    );
    let session: Session;
    try {
      session = await withTimeout(connection.create(), timeoutMs, 'create session');
    } catch (err) {
      void connection.close().catch(() => {});
      throw fromJanusError(err);
    }
    // close() may have run while we awaited.
    if ((this.#state as JanusConnectionState) === 'closed') {
      void session.destroy().catch(() => {});
      void connection.close().catch(() => {});
      throw new Error('closed');
    }
    const generation = ++this.#generation;
    this.#connection = connection;
    this.#session = session;
    this.#state = 'up';
    connection.once(Janode.EVENT.CONNECTION_ERROR, () => this.#lost(generation, 'connection lost'));
    connection.once(Janode.EVENT.CONNECTION_CLOSED, () => this.#lost(generation, 'connection closed'));
    session.once(Janode.EVENT.SESSION_DESTROYED, () => this.#lost(generation, 'session destroyed'));
    this.#startPing(generation, session);
    this.#options.log.info({ generation, session: session.id }, 'connected to Janus');
    this.emit('up', { generation });
  }

  /** One keepalive at a time; an overdue one marks the connection lost (checked after pending I/O is read). */
  #startPing(generation: number, session: Session): void {
    const { pingIntervalMs, pingTimeoutMs } = this.#options;
    let pending = false;
    this.#ping = setInterval(() => {
      if (pending) return;
      pending = true;
      let answered = false;
      const overdue = setTimeout(() => {
        // setImmediate runs after the poll phase: an answer already on the socket is read first, so a stalled event
        // loop is not mistaken for a frozen Janus.
        setImmediate(() => {
          if (!answered) this.#lost(generation, `no keepalive answer within ${pingTimeoutMs} ms`);
        });
      }, pingTimeoutMs);
      session
        .sendRequest({ janus: 'keepalive' })
        .then(() => {
          answered = true;
          clearTimeout(overdue);
        })
        .catch(() => {
          // A failed keepalive: the connection or session is gone, and their events say so; the timer covers the rest.
        })
        .finally(() => {
          pending = false;
        });
    }, pingIntervalMs);
  }

  #stopPing(): void {
    if (this.#ping) clearInterval(this.#ping);
    this.#ping = null;
  }

  #lost(generation: number, reason: string): void {
    if (generation !== this.#generation || this.#state !== 'up') return;
    this.#state = 'down';
    this.#stopPing();
    const connection = this.#connection;
    this.#connection = null;
    this.#session = null;
    // A frozen Janus may never answer a close handshake: do not wait for it.
    void connection?.close().catch(() => {});
    this.#options.log.warn({ generation, reason }, 'lost Janus');
    this.emit('down', { generation, reason });
    void this.#connectLoop();
  }
}
