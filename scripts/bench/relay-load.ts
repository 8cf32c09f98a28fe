/**
 * The relay benchmark's load generator, run as a child process (pinned to its own core) by relay.ts: `pairs` rooms,
 * each with one broadcaster and one watcher on raw `ws` sockets. Each watcher keeps `window` ICE candidates in
 * flight to its broadcaster (`iceAnswerCandidate`), and the broadcaster sends each one straight back
 * (`iceOfferCandidate`), so every round trip is two relayed messages of a real candidate's size. The same messages
 * work on OnAir's relay and on the plain `ws` relay.
 *
 * IPC: sends `{ready: true}` once every socket has joined, waits for `"go"`, loads for `durationMs`, then sends
 * `{messages, wallMs, rttMs}` (relayed messages counted on arrival, round-trip times in ms) and exits.
 */
import type WebSocket from 'ws';
import { z } from 'zod';
import { fakeCandidate } from '../simulate/fake-sdp.ts';
import { openJoined } from './ws-client.ts';

/** The arguments relay.ts passes as JSON in argv[2]. */
const Args = z.object({
  wsUrl: z.string(),
  /** Where the watchers join (another node of a cluster); default `wsUrl`. */
  watcherWsUrl: z.string().optional(),
  pairs: z.number().int().positive(),
  window: z.number().int().positive(),
  durationMs: z.number().positive(),
});

const args = Args.parse(JSON.parse(process.argv[2] ?? '{}'));

const candidate = { candidate: fakeCandidate(1), sdpMid: '0', sdpMLineIndex: 0 };

/** The id in the next `broadcastAvailable` the socket receives. */
function broadcastAvailable(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; from?: string };
      if (message.type !== 'broadcastAvailable' || !message.from) return;
      socket.off('message', onMessage);
      resolve(message.from);
    };
    socket.on('message', onMessage);
  });
}
let running = false;
let messages = 0;
const rtts: number[] = [];
const starts: (() => void)[] = [];

for (let i = 0; i < args.pairs; i++) {
  const room = `relay-bench-${i}`;
  const { socket: broadcaster } = await openJoined(args.wsUrl, room, 'broadcaster');
  broadcaster.send(JSON.stringify({ type: 'broadcastAvailable' }));
  broadcaster.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; from: string };
    if (message.type !== 'iceAnswerCandidate') return;
    messages++;
    broadcaster.send(JSON.stringify({ type: 'iceOfferCandidate', to: message.from, candidate }));
  });
  const { socket: watcher, joined } = await openJoined(args.watcherWsUrl ?? args.wsUrl, room, 'watcher');
  // On another node than its broadcaster, a watcher may join before its node has heard the room is live.
  const to = joined.broadcaster ?? (await broadcastAvailable(watcher));
  const sentAt: number[] = [];
  const send = () => {
    sentAt.push(performance.now());
    watcher.send(JSON.stringify({ type: 'iceAnswerCandidate', to, candidate }));
  };
  watcher.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string };
    if (message.type !== 'iceOfferCandidate') return;
    messages++;
    rtts.push(performance.now() - sentAt.shift()!);
    if (running) send();
  });
  starts.push(() => {
    for (let k = 0; k < args.window; k++) send();
  });
}

process.send!({ ready: true });
process.once('message', () => {
  const startedAt = performance.now();
  running = true;
  for (const start of starts) start();
  setTimeout(() => {
    running = false;
    const wallMs = performance.now() - startedAt;
    process.send!({ messages, wallMs, rttMs: rtts }, () => process.exit(0));
  }, args.durationMs);
});
