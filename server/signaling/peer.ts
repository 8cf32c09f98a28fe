/**
 * One connected WebSocket client: its server-assigned id, where it stands in joining (and its role and room once
 * joined), and the only way the relay sends to it. The peer owns that state: it changes only through
 * {@link Peer.admitting}, {@link Peer.joined} and {@link Peer.left}.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import WebSocket from 'ws';
import { ERRORS, type ErrorCode } from '../../protocol/errors.ts';
import type { Role, ServerMessage } from '../../protocol/messages.ts';

/** Errors a connection may cause before it is closed with `protocol_violation`. */
export const MAX_PROTOCOL_ERRORS = 20;

/**
 * The most bytes that may wait in a socket's send buffer (`bufferedAmount`) before the peer is dropped: a client
 * that stops reading must not grow the server's memory.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** A new unguessable peer id: 128 random bits, base64url (22 characters). */
export function newPeerId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Where a connection stands: `new` until it sends `join`; `admitting` while that join is checked (a token) or being
 * refused; `joined` once in a room; `left` after it was taken out of its room (another broadcaster took over).
 */
export type JoinPhase = 'new' | 'admitting' | 'joined' | 'left';

export class Peer {
  private currentId = newPeerId();
  private currentRole: Role | null = null;
  private currentRoom: string | null = null;
  private currentPhase: JoinPhase = 'new';
  private errors = 0;
  /** True while the frames sent this tick wait in the corked TCP socket (see {@link sendRaw}). */
  private corked = false;
  /** The connection's log, bound to its id, and to its role and room once joined (see {@link joined}). */
  log: FastifyBaseLogger;

  /**
   * @param socket the accepted WebSocket (RFC 6455)
   * @param tcp    the TCP (or TLS) socket under it
   * @param requestLog the upgrade request's logger; the peer logs through one child of it
   * @param maxBufferedBytes see {@link MAX_BUFFERED_BYTES}
   * @param onFail     called with the code of every error sent to this peer (the metrics count them)
   */
  constructor(
    readonly socket: WebSocket,
    private readonly tcp: Duplex,
    private readonly requestLog: FastifyBaseLogger,
    private readonly maxBufferedBytes: number = MAX_BUFFERED_BYTES,
    private readonly onFail: (code: ErrorCode) => void = () => {},
  ) {
    this.log = requestLog.child({ peer: this.id });
  }

  /** Assigned by the server; clients never choose it (a resume gives back one the server signed, see {@link resumeAs}). */
  get id(): string {
    return this.currentId;
  }

  /**
   * While its `join` is admitted: take back the id of an earlier connection, from a resume token the server signed
   * and has verified (`server/auth/resume-token.ts`).
   * @throws Error outside the admitting phase (a joined peer's id never changes)
   */
  resumeAs(id: string): void {
    if (this.currentPhase !== 'admitting') throw new Error(`resumeAs in phase ${this.currentPhase}`);
    this.currentId = id;
    this.log = this.requestLog.child({ peer: id });
  }

  /** A resume was refused: the connection may send a fresh `join`. */
  notAdmitted(): void {
    if (this.currentPhase === 'admitting') this.currentPhase = 'new';
  }

  /** The role it joined as; null before. Kept after it left (its socket is closing). */
  get role(): Role | null {
    return this.currentRole;
  }

  /** The name of the room it is in; null before joining and after leaving. */
  get roomName(): string | null {
    return this.currentRoom;
  }

  get phase(): JoinPhase {
    return this.currentPhase;
  }

  /** Its `join` is being checked: a second `join` is refused with `already_joined`. */
  admitting(): void {
    this.currentPhase = 'admitting';
  }

  /**
   * It joined `room` as `role` (called by `Rooms.admit`). Binds the role and room to its log lines: a new child of the
   * request's logger replaces the first rather than a child of it (one logger per connection, not a chain of two;
   * each link costs memory per socket).
   */
  joined(role: Role, room: string): void {
    this.currentPhase = 'joined';
    this.currentRole = role;
    this.currentRoom = room;
    this.log = this.requestLog.child({ peer: this.id, role, room });
  }

  /** It was taken out of its room (called by `Rooms.remove`). */
  left(): void {
    if (this.currentRoom !== null) this.currentPhase = 'left';
    this.currentRoom = null;
  }

  /** Send a message if the socket is still open; a closed socket is simply skipped. */
  send(message: ServerMessage): void {
    this.sendRaw(JSON.stringify(message));
  }

  /**
   * Send a frame already serialized (used to serialize once and fan out to many peers). The frames a peer gets in one
   * tick leave in one write: the TCP socket is corked at the first and uncorked on the next tick (before any I/O), so
   * a burst of ICE candidates, or `joined` and `viewerCount`, costs one `writev` system call instead of one each.
   */
  sendRaw(frame: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (!this.corked) {
      this.corked = true;
      this.tcp.cork();
      process.nextTick(Peer.uncork, this);
    }
    this.socket.send(frame);
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // A close frame would only queue behind what it does not read: cut the TCP connection instead.
      this.log.warn({ bufferedAmount: this.socket.bufferedAmount }, 'not reading; dropped');
      this.socket.terminate();
    }
  }

  /**
   * Tell the peer about an error from the catalogue, then close if the catalogue says so. After
   * {@link MAX_PROTOCOL_ERRORS} errors the connection is closed with `protocol_violation`.
   *
   * @param code   catalogue code
   * @param detail a more precise human message (defaults to the catalogue's)
   */
  fail(code: ErrorCode, detail: string = ERRORS[code].message): void {
    const { close } = ERRORS[code];
    this.log.info({ code, detail }, 'protocol error');
    this.onFail(code);
    this.send({ type: 'error', code, message: detail });
    if (close !== null) {
      this.socket.close(close, code);
    } else if (++this.errors > MAX_PROTOCOL_ERRORS) {
      this.fail('protocol_violation');
    }
  }

  private static uncork(this: void, peer: Peer): void {
    peer.corked = false;
    peer.tcp.uncork();
  }
}
