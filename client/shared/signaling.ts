/**
 * The pages' side of the `/ws` relay: one WebSocket (RFC 6455) that joins a room, delivers checked server messages
 * to typed listeners, and reconnects by itself with exponential backoff and full jitter (first retry at once,
 * then growing to a cap) until stopped or refused for good. Its connection state is an explicit state machine
 * ({@link TRANSITIONS}); every listener is added with an `on…()` that returns a function removing it.
 *
 * Resume (docs/protocol.md, "Resuming after a lost connection"): it keeps the latest `resumeToken` and sends it with
 * the `join` of every reconnection, so the page gets its peer id back and its peer connections carry on (`joined`
 * says `resumed: true`). A refused resume (`resume_expired`, `resume_invalid`) is followed by a fresh `join` on the
 * same socket (`resumed: false`: the page starts over).
 */
import { backOff } from 'exponential-backoff';
import { CLOSE_NO_RETRY, ProtocolError } from '../../protocol/errors.ts';
import { Listeners, MessageListeners } from '../../protocol/listeners.ts';
import type { ClientMessage, JoinMessage, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { parseServerMessage } from '../../protocol/parse.ts';

/**
 * Connection state: `idle` before {@link SignalingClient.start}; `connecting` the first time; `joined` once the
 * server said `joined`; `reconnecting` after a drop; `closed` when stopped or refused for good.
 */
export type SignalingState = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'closed';

/** The states each state may move to; any other change is a bug and is ignored. */
export const TRANSITIONS: { readonly [S in SignalingState]: readonly SignalingState[] } = {
  idle: ['connecting', 'closed'],
  connecting: ['joined', 'closed'],
  joined: ['reconnecting', 'closed'],
  reconnecting: ['joined', 'closed'],
  closed: ['connecting'],
};

/** Reconnect policy (ms): first retry at once, then 500 ms doubling with full jitter, capped at 8 s. */
export const RECONNECT = { startingDelay: 500, timeMultiple: 2, maxDelay: 8000, jitter: 'full' } as const;

/** The WebSocket URL of the relay for the page's own origin (`ws:` or `wss:`). */
export function relayUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** The client's own events: a state change (with the refusal when the server refused us for good), a socket open. */
type ClientEvents = { state: [state: SignalingState, error?: ProtocolError]; open: [] };

export class SignalingClient {
  private socket: WebSocket | null = null;
  private current: SignalingState = 'idle';
  private readonly messages = new MessageListeners();
  private readonly events = new Listeners<ClientEvents>();
  /** The latest resume token the server gave (null before the first, and after a refused resume). */
  private resumeToken: string | null = null;

  /**
   * @param url  the relay's URL (`ws://host/ws`)
   * @param join what to join as, sent as the first message of every connection: the fields, or a function giving
   *   them at each connection (e.g. a watcher asks for the fast join only when it has no working peer connection)
   */
  constructor(
    private readonly url: string,
    private readonly join: Omit<JoinMessage, 'type'> | (() => Omit<JoinMessage, 'type'>),
  ) {
    this.messages.on('resumeToken', (m) => (this.resumeToken = m.token));
  }

  get state(): SignalingState {
    return this.current;
  }

  /** Listen for one server message type; returns a function that removes the listener. */
  on<T extends ServerMessageType>(type: T, listener: (message: ServerMessageOf<T>) => void): () => void {
    return this.messages.on(type, listener);
  }

  /** Listen for state changes; `error` is set when the server refused us for good (state `closed`). */
  onState(listener: (state: SignalingState, error?: ProtocolError) => void): () => void {
    return this.events.on('state', listener);
  }

  /** Listen for each WebSocket opening, before `join` is sent (e.g. to time the join). */
  onOpen(listener: () => void): () => void {
    return this.events.on('open', listener);
  }

  /** Send a message if connected; dropped otherwise (the peer connection logic re-signals after a reconnect). */
  send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Connect and keep connected until {@link stop}. */
  start(): void {
    if (this.moveTo('connecting')) void this.connectLoop();
  }

  /** Close for good; no reconnect. */
  stop(): void {
    const socket = this.socket;
    this.socket = null;
    this.moveTo('closed');
    socket?.close(1000, 'bye');
  }

  /** Change state if {@link TRANSITIONS} allows it, and tell the listeners; false when it does not. */
  private moveTo(next: SignalingState, error?: ProtocolError): boolean {
    if (!TRANSITIONS[this.current].includes(next)) {
      if (next !== this.current) console.warn(`onair: signalling state ${this.current} cannot become ${next}`);
      return false;
    }
    this.current = next;
    this.events.emit('state', next, error);
    return true;
  }

  private get stopped(): boolean {
    return this.current === 'closed';
  }

  private async connectLoop(): Promise<void> {
    try {
      await backOff(() => this.connectOnce(), {
        ...RECONNECT,
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        delayFirstAttempt: false,
        retry: (err: unknown) => !this.stopped && !(err instanceof ProtocolError && CLOSE_NO_RETRY.has(err.code)),
      });
    } catch (err) {
      if (this.stopped) return;
      this.moveTo('closed', err instanceof ProtocolError ? err : new ProtocolError('internal_error', String(err)));
    }
  }

  /** One connection: resolves once `joined` arrives, rejects if it closes before. A later drop reconnects. */
  private connectOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(new Error('stopped'));
      const socket = new WebSocket(this.url);
      this.socket = socket;
      let joined = false;
      let refusal: ProtocolError | null = null;
      const sendJoin = () => {
        const fields = typeof this.join === 'function' ? this.join() : this.join;
        const resume = this.resumeToken === null ? {} : { resume: this.resumeToken };
        socket.send(JSON.stringify({ type: 'join', ...fields, ...resume }));
      };
      socket.onopen = () => {
        this.events.emit('open');
        sendJoin();
      };
      socket.onmessage = (event) => {
        const parsed = parseServerMessage(String(event.data));
        if (!parsed.ok) return console.warn('onair: ignoring a bad server message:', parsed.detail);
        const message = parsed.message;
        if (message.type === 'error' && !joined && (message.code === 'resume_expired' || message.code === 'resume_invalid')) {
          // The old identity is gone: join afresh on this socket.
          console.warn(`onair: resume refused (${message.code}); joining afresh`);
          this.resumeToken = null;
          sendJoin();
          return;
        }
        if (message.type === 'error') {
          refusal = new ProtocolError(message.code, message.message);
          if (joined) console.warn(`onair: server error ${message.code}: ${message.message}`);
        }
        if (message.type === 'joined') {
          joined = true;
          this.moveTo('joined');
          resolve();
        }
        this.messages.deliver(message);
      };
      socket.onclose = () => {
        if (this.socket === socket) this.socket = null;
        if (!joined) return reject(refusal ?? new Error('connection closed before joining'));
        // Closed after an error that a reconnection cannot undo (replaced, resumed by another connection): stop.
        if (refusal && CLOSE_NO_RETRY.has(refusal.code)) return void this.moveTo('closed', refusal);
        if (!this.stopped && this.moveTo('reconnecting')) void this.connectLoop();
      };
    });
  }
}
