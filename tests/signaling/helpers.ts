/**
 * What the relay tests share: waiting for a message without consuming a {@link WsPeer}'s cursor, SDP and candidates
 * tagged with the peer they are for (so a misdelivery shows), and one whole trickle ICE exchange in a room.
 */
import type { Test } from 'tap';
import type { ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

/** Per-test limit: a message that never comes fails the test instead of hanging the file (ms). */
export const TEST_OPTIONS = { timeout: 20_000 };

/** Server-assigned peer ids: 128 random bits in base64url. */
export const PEER_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * The first message of `type` that passes `test`, among those `peer` received from index `from` on, awaited if it
 * has not come yet. Does not move `peer.next()`'s cursor. Rejects if the socket closes first.
 */
export function until<T extends ServerMessageType>(
  peer: WsPeer,
  type: T,
  test: (message: ServerMessageOf<T>) => boolean = () => true,
  from = 0,
): Promise<ServerMessageOf<T>> {
  const find = () =>
    peer.received.slice(from).find((m): m is ServerMessageOf<T> => m.type === type && test(m as ServerMessageOf<T>));
  const found = find();
  if (found) return Promise.resolve(found);
  if (peer.socket.readyState === peer.socket.CLOSED) return Promise.reject(new Error(`socket closed before ${type}`));
  return new Promise((resolve, reject) => {
    // Registered after WsPeer's own listener, so `received` already holds the new message when this runs.
    const onMessage = () => {
      const message = find();
      if (message) {
        stop();
        resolve(message);
      }
    };
    const onClose = () => {
      stop();
      reject(new Error(`socket closed before ${type}`));
    };
    const stop = () => {
      peer.socket.off('message', onMessage);
      peer.socket.off('close', onClose);
    };
    peer.socket.on('message', onMessage);
    peer.socket.on('close', onClose);
  });
}

/** The first `viewerCount` equal to `count` received from index `from` on. */
export function viewerCount(peer: WsPeer, count: number, from = 0): Promise<ServerMessageOf<'viewerCount'>> {
  return until(peer, 'viewerCount', (m) => m.count === count, from);
}

/** An SDP that names who it is for, so the test can tell deliveries apart. */
export function sdpFor(kind: 'offer' | 'answer', id: string): string {
  return ['v=0', `o=- ${id.length} 2 IN IP4 127.0.0.1`, `s=${kind} for ${id}`, 't=0 0', `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`, ''].join('\r\n');
}

/** A host candidate whose ufrag names who it is for. */
export function candidateFor(id: string) {
  return { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: id };
}

export interface Joined {
  peer: WsPeer;
  id: string;
}

async function join(url: string, room: string, role: 'broadcaster' | 'watcher'): Promise<Joined> {
  const { peer, joined } = await WsPeer.joined(url, room, role);
  return { peer, id: joined.id };
}

/**
 * One broadcaster and `watchers` watchers join `room` and run the whole signalling flow: broadcastAvailable,
 * getBroadcast, offer, answer, and trickled candidates both ways. Asserts every delivery, including that `from` is
 * always the sender's server-assigned id. Returns the peers, still connected.
 */
export async function fullExchange(t: Test, url: string, room: string, watchers = 1): Promise<{ broadcaster: Joined; watchers: Joined[] }> {
  const b = await join(url, room, 'broadcaster');
  const ws = await Promise.all(Array.from({ length: watchers }, () => join(url, room, 'watcher')));

  b.peer.send({ type: 'broadcastAvailable' });
  for (const w of ws) t.same(await w.peer.next(), { type: 'broadcastAvailable', from: b.id }, `${room}: broadcastAvailable`);

  for (const w of ws) w.peer.send({ type: 'getBroadcast', to: b.id });
  const asking: string[] = [];
  for (const _ of ws) {
    const ask = await b.peer.next();
    t.equal(ask.type, 'getBroadcast', `${room}: getBroadcast`);
    if (ask.type === 'getBroadcast') asking.push(ask.from);
  }
  t.same([...asking].sort(), ws.map((w) => w.id).sort(), `${room}: every watcher asked, each once`);

  for (const id of asking) {
    b.peer.send({ type: 'offer', to: id, sdp: sdpFor('offer', id) });
    b.peer.send({ type: 'iceOfferCandidate', to: id, candidate: candidateFor(id) });
  }
  for (const w of ws) {
    t.same(await w.peer.next(), { type: 'offer', from: b.id, sdp: sdpFor('offer', w.id) }, `${room}: offer`);
    t.same(await w.peer.next(), { type: 'iceOfferCandidate', from: b.id, candidate: candidateFor(w.id) }, `${room}: iceOfferCandidate`);
    w.peer.send({ type: 'answer', to: b.id, sdp: sdpFor('answer', w.id) });
    w.peer.send({ type: 'iceAnswerCandidate', to: b.id, candidate: candidateFor(w.id) });
  }

  const byWatcher = new Map<string, unknown[]>(ws.map((w) => [w.id, []]));
  for (let i = 0; i < 2 * ws.length; i++) {
    const message = await b.peer.next();
    const from = 'from' in message ? message.from : '(none)';
    const list = byWatcher.get(from);
    if (list) list.push(message);
    else t.fail(`${room}: unexpected ${message.type} from ${from}`);
  }
  for (const w of ws) {
    t.same(byWatcher.get(w.id), [
      { type: 'answer', from: w.id, sdp: sdpFor('answer', w.id) },
      { type: 'iceAnswerCandidate', from: w.id, candidate: candidateFor(w.id) },
    ], `${room}: answer and candidate from each watcher, in order`);
  }
  return { broadcaster: b, watchers: ws };
}

/** Expect an `error` with `code` as the next message. */
export async function expectError(t: Test, peer: WsPeer, code: string): Promise<void> {
  const message = await peer.next();
  t.match(message, { type: 'error', code, message: String }, `error ${code}`);
}

/** Expect `error` with `code`, then the socket closed with `close` (the catalogue code is the close reason). */
export async function expectClose(t: Test, peer: WsPeer, code: string, close: number): Promise<void> {
  await expectError(t, peer, code);
  t.same(await peer.closed, { code: close, reason: code }, `closed ${close}`);
}

/** The types a peer received, without `viewerCount`, `chatHistory` and `resumeToken` (every join brings them). */
export function typesOf(peer: WsPeer): string[] {
  const routine = new Set(['viewerCount', 'chatHistory', 'resumeToken']);
  return peer.received.filter((m) => !routine.has(m.type)).map((m) => m.type);
}
