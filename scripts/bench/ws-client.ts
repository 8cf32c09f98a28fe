/**
 * Raw `ws` clients for the benchmark's relay parts: open a socket and join a room, speaking only the few messages
 * both OnAir's relay and the plain `ws` relay understand. No schema checks on the client side: its CPU is not
 * what is measured, and it must not be the bottleneck.
 */
import WebSocket from 'ws';

/** Open a WebSocket (RFC 6455) to `url`. */
export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The parts of `joined` the benchmark reads. */
export interface Joined {
  id: string;
  broadcaster: string | null;
}

/**
 * Open a socket and join `room` as `role`.
 *
 * @throws Error when the relay answers with an `error` (its code and message) or the socket fails
 */
export async function openJoined(url: string, room: string, role: 'broadcaster' | 'watcher'): Promise<{ socket: WebSocket; joined: Joined }> {
  const socket = await openSocket(url);
  const joined = await new Promise<Joined>((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; id: string; broadcaster: string | null; code?: string; message?: string };
      if (message.type === 'error') reject(new Error(`the relay refused the join: ${message.code}: ${message.message}`));
      if (message.type !== 'joined') return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'join', room, role }));
  });
  return { socket, joined };
}
