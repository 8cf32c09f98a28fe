/**
 * The benchmark's floor: the smallest relay that does the same job as OnAir's on the same `ws` library — parse each
 * frame as JSON, stamp `from`, forward it to the peer named in `to`. Joining gives `{type: "joined", id,
 * broadcaster}` (the room's broadcaster id, or null). No schemas, no routes, no limits, no logs: whatever OnAir's
 * relay costs on top of this is the cost of its checks.
 *
 *   PORT=4000 node --import=tsx scripts/bench/plain-ws-server.ts
 *
 * Prints `listening <port>` on stdout once it accepts connections.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

const peers = new Map<string, WebSocket>();
const broadcasters = new Map<string, string>();

const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0), path: '/ws', perMessageDeflate: false });
server.on('connection', (socket) => {
  const id = randomBytes(16).toString('base64url');
  let room: string | null = null;
  peers.set(id, socket);
  socket.on('message', (data) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString()) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.type === 'join') {
      room = String(message.room);
      if (message.role === 'broadcaster') broadcasters.set(room, id);
      socket.send(JSON.stringify({ type: 'joined', id, room, role: message.role, broadcaster: broadcasters.get(room) ?? null }));
      return;
    }
    const to = peers.get(String(message.to));
    if (!to) return;
    delete message.to;
    message.from = id;
    to.send(JSON.stringify(message));
  });
  socket.on('close', () => {
    peers.delete(id);
    if (room !== null && broadcasters.get(room) === id) broadcasters.delete(room);
  });
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
