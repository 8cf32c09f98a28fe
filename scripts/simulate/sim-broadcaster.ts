/**
 * The built-in simulated broadcaster (`--broadcaster sim`): a WebSocket client of the relay that joins a room as
 * its broadcaster, goes live, and answers every `getBroadcast` with a valid offer SDP and two trickled ICE
 * candidates, at once. No media: with signalling-only watchers it measures the relay alone. It counts what comes
 * back, so a run can tell that no answer was lost.
 */
import { deadline } from './deadline.ts';
import { failureForRelayError, WatcherError } from './errors.ts';
import { fakeCandidate, fakeOffer } from './fake-sdp.ts';
import { RelayConnection } from './relay-connection.ts';

/** What the simulated broadcaster saw. */
export interface SimBroadcasterStats {
  room: string;
  /** `getBroadcast` requests answered with an offer. */
  offers: number;
  /** Answers and ICE candidates received from watchers. */
  answers: number;
  candidates: number;
}

export interface SimBroadcaster {
  readonly stats: SimBroadcasterStats;
  /** Leave the room (ends the broadcast) and close the socket. */
  close(): Promise<void>;
}

/** Candidates trickled after each offer. */
const CANDIDATES_PER_OFFER = 2;

/**
 * Join `room` as its broadcaster and go live.
 *
 * @param relayUrl  the relay, `ws(s)://host/ws`
 * @param room      the room to broadcast in
 * @param timeoutMs how long opening the socket and joining may take, in ms
 * @throws {WatcherError} `unreachable` when the relay cannot be reached, `refused` when it answers the join with
 *   an error (e.g. the room already has a broadcaster)
 */
export async function startSimBroadcaster(relayUrl: string, room: string, timeoutMs: number): Promise<SimBroadcaster> {
  const timeLimit = deadline(timeoutMs);
  const relay = await RelayConnection.open(relayUrl, timeoutMs, timeLimit.signal,
    () => new WatcherError('unreachable', `cannot open ${relayUrl} within ${timeoutMs / 1000} s`)).finally(() => timeLimit.clear());
  const stats: SimBroadcasterStats = { room, offers: 0, answers: 0, candidates: 0 };
  const joinLimit = deadline(timeoutMs);
  const joined = relay.next(['joined', 'error'], joinLimit.signal).finally(() => joinLimit.clear());
  relay.send({ type: 'join', room, role: 'broadcaster' });
  const reply = await joined.catch(async (err: unknown) => {
    await relay.close();
    throw err instanceof WatcherError ? err : new WatcherError('refused', `the relay did not answer the broadcaster's join in room "${room}" within ${timeoutMs / 1000} s`);
  });
  if (reply.type === 'error') {
    await relay.close();
    throw new WatcherError(failureForRelayError(reply.code), `the relay refused the simulated broadcaster: ${reply.code}: ${reply.message}`);
  }
  let candidateIndex = 0;
  relay.on('getBroadcast', ({ from }) => {
    relay.send({ type: 'offer', to: from, sdp: fakeOffer() });
    stats.offers++;
    for (let i = 0; i < CANDIDATES_PER_OFFER; i++) {
      relay.send({ type: 'iceOfferCandidate', to: from, candidate: { candidate: fakeCandidate(candidateIndex++), sdpMid: '0', sdpMLineIndex: 0 } });
    }
  });
  relay.on('answer', () => stats.answers++);
  relay.on('iceAnswerCandidate', () => stats.candidates++);
  relay.send({ type: 'broadcastAvailable' });
  return { stats, close: () => relay.close() };
}
