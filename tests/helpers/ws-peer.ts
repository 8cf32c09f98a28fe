/**
 * A protocol-level test client over a real `ws` socket: send raw frames or messages, and await the next server
 * message of a type (every server frame is checked with the protocol's own schema).
 */
import WebSocket from 'ws';
import type { Role, ServerMessage, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { parseServerMessage } from '../../protocol/parse.ts';

/** Messages {@link WsPeer.next} skips unless asked for by type. */
const UNASKED: ReadonlySet<ServerMessageType> = new Set(['viewerCount', 'chatHistory', 'resumeToken']);

export class WsPeer {
  /** Every checked message received, in order. */
  readonly received: ServerMessage[] = [];
  /** Resolves with the close code and reason when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private wake: (() => void) | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok) throw new Error(`server sent an invalid message: ${parsed.detail}`);
      this.received.push(parsed.message);
      this.wake?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.wake?.();
    }));
  }

  /** Open a socket to `url` (the relay's `ws://…/ws`). */
  static connect(url: string, options?: WebSocket.ClientOptions): Promise<WsPeer> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.once('open', () => resolve(new WsPeer(socket)));
      socket.once('error', reject);
    });
  }

  /** Connect and join; resolves with the `joined` message. */
  static async joined(url: string, room: string, role: Role): Promise<{ peer: WsPeer; joined: ServerMessageOf<'joined'> }> {
    const peer = await WsPeer.connect(url);
    peer.send({ type: 'join', room, role });
    return { peer, joined: await peer.next('joined') };
  }

  /** Send an object as JSON, or a string/Buffer as it is. */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  /**
   * The next message not yet consumed (skipping messages of other types when `type` is given, and always
   * skipping `viewerCount`, `chatHistory` and `resumeToken`, which come with every join, unless asked for).
   * Rejects if the socket closes first.
   */
  async next<T extends ServerMessageType>(type?: T): Promise<ServerMessageOf<T>> {
    for (;;) {
      while (this.cursor < this.received.length) {
        const message = this.received[this.cursor++]!;
        if (type ? message.type === type : !UNASKED.has(message.type)) return message as ServerMessageOf<T>;
      }
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${type ?? 'a message'}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** Close the socket and wait until it is closed. */
  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}
