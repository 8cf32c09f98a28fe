/**
 * The simulator's side of the `/ws` relay: one `ws` WebSocket (RFC 6455) that sends typed client messages and
 * hands every server frame, checked by the protocol's own schema, to typed listeners. No reconnect: a simulated
 * watcher that loses its socket has failed.
 */
import WebSocket from 'ws';
import { MessageListeners } from '../../protocol/listeners.ts';
import type { ClientMessage, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { parseServerMessage } from '../../protocol/parse.ts';
import { WatcherError } from './errors.ts';

export class RelayConnection {
  /** Frames that failed the protocol schema (ignored, counted). */
  invalidFrames = 0;
  /** Resolves with the close code and reason once the socket has closed, whoever closed it. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly listeners = new MessageListeners();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const parsed = isBinary ? null : parseServerMessage(data.toString());
      if (!parsed?.ok) {
        this.invalidFrames++;
        return;
      }
      this.listeners.deliver(parsed.message);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /**
   * Open a WebSocket to the relay.
   *
   * @param url       the relay's URL, `ws(s)://host/ws`
   * @param timeoutMs how long the TCP, TLS and WebSocket handshakes may take, in ms
   * @param signal    aborts the attempt (rejects with `onAbort()`'s error); a socket that opens later is closed
   * @param onAbort   the error to reject with when `signal` aborts
   * @throws {WatcherError} `unreachable` when the socket cannot be opened in time (refused, DNS, TLS, HTTP error)
   */
  static open(url: string, timeoutMs: number, signal: AbortSignal, onAbort: () => Error): Promise<RelayConnection> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(onAbort());
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      const abort = () => {
        socket.terminate();
        reject(onAbort());
      };
      signal.addEventListener('abort', abort, { once: true });
      socket.once('open', () => {
        signal.removeEventListener('abort', abort);
        socket.removeAllListeners('error');
        socket.on('error', () => {}); // a later error is followed by 'close', which the watcher handles
        resolve(new RelayConnection(socket));
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', abort);
        socket.terminate();
        const reason = err.message || (err as NodeJS.ErrnoException).code;
        reject(new WatcherError('unreachable', `cannot open ${url}: ${reason}`, { cause: err }));
      });
    });
  }

  /** Whether the socket is open (messages can be sent). */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Send one client message; dropped if the socket is no longer open. */
  send(message: ClientMessage): void {
    if (this.open) this.socket.send(JSON.stringify(message));
  }

  /** Listen for one server message type; returns a function that removes the listener. */
  on<T extends ServerMessageType>(type: T, listener: (message: ServerMessageOf<T>) => void): () => void {
    return this.listeners.on(type, listener);
  }

  /**
   * The next server message of one of `types`.
   *
   * @param types  the message types to wait for
   * @param signal aborts the wait (rejects with the signal's reason)
   * @throws {WatcherError} `socket_closed` when the socket closes first
   */
  next<T extends ServerMessageType>(types: readonly T[], signal?: AbortSignal): Promise<ServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      const offs: (() => void)[] = [];
      const done = () => {
        for (const off of offs) off();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason, passed on as given
        reject(signal!.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const type of types) {
        offs.push(this.on(type, (message) => {
          done();
          resolve(message);
        }));
      }
      void this.closed.then(({ code, reason }) => {
        done();
        reject(new WatcherError('socket_closed', `the relay closed the WebSocket (${code}${reason ? ` ${reason}` : ''})`));
      });
    });
  }

  /** Close the socket (1000, normal closure) and wait until it has closed. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000, 'bye');
    const timer = setTimeout(() => this.socket.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }
}
