/**
 * A WebSocket client written by hand over a raw TCP socket (RFC 6455 §4.1 handshake, §5.2 framing), for tests that
 * must send what no well-behaved library sends: RSV bits, invalid UTF-8, fragment floods, half a frame, thousands of
 * headers. It records the server's frames and tells the close code.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameOptions {
  fin?: boolean;
  /** RSV1–RSV3 as bits 0b100, 0b010, 0b001. */
  rsv?: number;
  /** 0x1 text, 0x2 binary, 0x0 continuation, 0x8 close, 0x9 ping. */
  opcode?: number;
}

/** One client frame (masked, as RFC 6455 §5.3 requires of clients). */
export function clientFrame(payload: Buffer | string, { fin = true, rsv = 0, opcode = 0x1 }: FrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const mask = randomBytes(4);
  const head = [((fin ? 0x80 : 0) | (rsv << 4) | opcode) & 0xff];
  if (data.length < 126) head.push(0x80 | data.length);
  else if (data.length < 65_536) head.push(0x80 | 126, data.length >> 8, data.length & 0xff);
  else {
    head.push(0x80 | 127, 0, 0, 0, 0);
    head.push((data.length >>> 24) & 0xff, (data.length >>> 16) & 0xff, (data.length >>> 8) & 0xff, data.length & 0xff);
  }
  const masked = Buffer.from(data.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, masked]);
}

/** A server frame as received. */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export class RawSocket {
  /** The HTTP status line and headers of the handshake response. */
  response = '';
  readonly frames: ServerFrame[] = [];
  /** Resolves when the TCP connection ends, with the close code the server sent (or null if it sent none). */
  readonly ended: Promise<number | null>;
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => {});
    this.ended = new Promise((resolve) => socket.once('close', () => {
      this.wakeAll();
      resolve(this.closeCode());
    }));
  }

  /**
   * Connect to `ws://host:port/path` and send an upgrade request (not waiting for the answer).
   *
   * @param headers extra request header lines, e.g. `['Origin: https://evil.example']`
   */
  static open(wsUrl: string, headers: string[] = []): RawSocket {
    const url = new URL(wsUrl);
    const socket = connect(Number(url.port), url.hostname);
    const raw = new RawSocket(socket);
    const request = [
      `GET ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...headers,
      '',
      '',
    ].join('\r\n');
    socket.write(request);
    return raw;
  }

  /** Open and wait for the handshake's answer: resolves with the HTTP status code. */
  static async handshake(wsUrl: string, headers: string[] = []): Promise<{ raw: RawSocket; status: number }> {
    const raw = RawSocket.open(wsUrl, headers);
    await raw.until(() => raw.response !== '');
    return { raw, status: Number(raw.response.split(' ')[1]) };
  }

  /** Write bytes as they are. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The first text frame's text, parsed as JSON (the server's first message), awaited. */
  async firstMessage(): Promise<{ type: string; code?: string }> {
    await this.until(() => this.frames.some((f) => f.opcode === 0x1));
    return JSON.parse(this.frames.find((f) => f.opcode === 0x1)!.payload.toString());
  }

  /** The close code in the server's close frame, if one came. */
  closeCode(): number | null {
    const close = this.frames.find((f) => f.opcode === 0x8);
    return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
  }

  /** Wait until `test()` holds (checked on each chunk), or reject when the connection ends first. */
  async until(test: () => boolean): Promise<void> {
    while (!test()) {
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error('connection ended');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return this.wakeAll();
      this.response = this.buffer.subarray(0, end).toString('latin1');
      this.buffer = this.buffer.subarray(end + 4);
      this.upgraded = true;
    }
    for (;;) {
      if (this.buffer.length < 2) break;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) break;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) break;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) break;
      this.frames.push({ opcode: this.buffer[0]! & 0x0f, payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
    }
    this.wakeAll();
  }
}
