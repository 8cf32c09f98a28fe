/**
 * The pages' side of the `/ws` relay: one WebSocket (RFC 6455) that joins a room, delivers checked server messages
 * to typed listeners, and reconnects by itself with exponential backoff and full jitter (first retry at once,
 * then growing to a cap) until stopped or refused for good.
 */
import { backOff } from 'exponential-backoff';
import { CLOSE_NO_RETRY, ProtocolError } from '../../protocol/errors.ts';
import type { ClientMessage, JoinMessage, ServerMessage, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { parseServerMessage } from '../../protocol/parse.ts';

/** Connection state: `connecting` the first time, `reconnecting` after a drop, `closed` when stopped or refused. */
export type SignalingState = 'connecting' | 'joined' | 'reconnecting' | 'closed';

type Listener<T extends ServerMessageType> = (message: ServerMessageOf<T>) => void;
type AnyListener = (message: ServerMessage) => void;

/** Reconnect policy (ms): first retry at once, then 500 ms doubling with full jitter, capped at 8 s. */
export const RECONNECT = { startingDelay: 500, timeMultiple: 2, maxDelay: 8000, jitter: 'full' } as const;

/** The WebSocket URL of the relay for the page's own origin (`ws:` or `wss:`). */
export function relayUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export class SignalingClient {
  private socket: WebSocket | null = null;
  private stopped = false;
  private readonly listeners = new Map<ServerMessageType, Set<AnyListener>>();
  private stateListener: (state: SignalingState, error?: ProtocolError) => void = () => {};
  /** Called each time a WebSocket opens, before `join` is sent (e.g. to time the join). */
  onOpen: () => void = () => {};

  /**
   * @param url  the relay's URL (`ws://host/ws`)
   * @param join what to join as (sent as the first message of every connection)
   */
  constructor(
    private readonly url: string,
    private readonly join: Omit<JoinMessage, 'type'>,
  ) {}

  /** Listen for one server message type; returns a function that removes the listener. */
  on<T extends ServerMessageType>(type: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const any = listener as unknown as AnyListener;
    set.add(any);
    return () => set.delete(any);
  }

  /** Listen for state changes; `error` is set when the server refused us for good (state `closed`). */
  onState(listener: (state: SignalingState, error?: ProtocolError) => void): void {
    this.stateListener = listener;
  }

  /** Send a message if connected; dropped otherwise (the peer connection logic re-signals after a reconnect). */
  send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Connect and keep connected until {@link stop}. */
  start(): void {
    this.stopped = false;
    void this.connectLoop('connecting');
  }

  /** Close for good; no reconnect. */
  stop(): void {
    this.stopped = true;
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.stateListener('closed');
  }

  private async connectLoop(state: SignalingState): Promise<void> {
    this.stateListener(state);
    try {
      await backOff(() => this.connectOnce(), {
        ...RECONNECT,
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        delayFirstAttempt: false,
        retry: (err: unknown) => !this.stopped && !(err instanceof ProtocolError && CLOSE_NO_RETRY.has(err.code)),
      });
    } catch (err) {
      if (this.stopped) return;
      this.stopped = true;
      this.stateListener('closed', err instanceof ProtocolError ? err : new ProtocolError('internal_error', String(err)));
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
      socket.onopen = () => {
        this.onOpen();
        socket.send(JSON.stringify({ type: 'join', ...this.join }));
      };
      socket.onmessage = (event) => {
        const parsed = parseServerMessage(String(event.data));
        if (!parsed.ok) return console.warn('onair: ignoring a bad server message:', parsed.detail);
        const message = parsed.message;
        if (message.type === 'error') {
          if (!joined) refusal = new ProtocolError(message.code, message.message);
          else console.warn(`onair: server error ${message.code}: ${message.message}`);
        }
        if (message.type === 'joined') {
          joined = true;
          this.stateListener('joined');
          resolve();
        }
        for (const listener of this.listeners.get(message.type) ?? []) listener(message);
      };
      socket.onclose = () => {
        if (this.socket === socket) this.socket = null;
        if (!joined) return reject(refusal ?? new Error('connection closed before joining'));
        if (!this.stopped) void this.connectLoop('reconnecting');
      };
    });
  }
}
