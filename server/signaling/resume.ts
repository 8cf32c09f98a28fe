/**
 * The step between admission and the join: a `join` that carries `resume` gets its earlier identity back (the peer
 * id, room and role its resume token was signed for; see `server/auth/resume-token.ts`), and the room is made ready
 * (with other nodes, whom they hold in it). Then the resume tokens: one right after `joined`, and a fresh one to every
 * joined peer every third of a token's lifetime, so a page whose connection drops always holds one still valid.
 *
 * A plain `join` into a room this node already serves is joined synchronously, in the same tick as its frame (so a
 * client may send more right behind its `join`); only a resume or a room new to this node of a cluster waits.
 */
import type { JoinMessage } from '../../protocol/messages.ts';
import { signResumeToken, verifyResumeToken } from '../auth/resume-token.ts';
import { join, type Session } from './join.ts';
import type { Peer } from './peer.ts';
import type { Relay } from './relay.ts';

const isOpen = (peer: Peer) => peer.socket.readyState === peer.socket.OPEN;

/** Sign a resume token for `peer` and send it (`resumeToken`); nothing is sent if it left meanwhile. */
export async function sendResumeToken(relay: Pick<Relay, 'resume'>, peer: Peer): Promise<void> {
  const { roomName: room, role } = peer;
  if (room === null || role === null) return;
  const token = await signResumeToken(relay.resume.key, { peer: peer.id, room, role }, relay.resume.ttlS);
  if (peer.roomName === room) peer.send({ type: 'resumeToken', token });
}

/**
 * Resume when the `join` asks to, prepare the room, join, and send the first resume token. A refused resume tells
 * the peer `resume_expired` or `resume_invalid` and leaves its connection open for a fresh `join`.
 *
 * @param joined called once the peer has joined
 */
export function enter(relay: Relay, peer: Peer, message: JoinMessage, joined: () => void): void {
  const finish = (session: Session) => {
    if (!join(relay, peer, message, session)) return;
    joined();
    void sendResumeToken(relay, peer).catch((err: unknown) => peer.log.error({ err }, 'resume token not signed'));
  };
  if (message.resume === undefined && relay.rooms.ready(message.room)) return finish({ resumed: false });
  peer.admitting();
  void resumeAndPrepare(relay, peer, message).then(
    (session) => session && isOpen(peer) && finish(session),
    (err: unknown) => {
      peer.log.error({ err }, 'join failed');
      peer.fail('internal_error');
    },
  );
}

async function resumeAndPrepare(relay: Relay, peer: Peer, message: JoinMessage): Promise<Session | null> {
  let resumed = false;
  if (message.resume !== undefined) {
    const claims = await verifyResumeToken(relay.resume.key, message.resume, { room: message.room, role: message.role });
    if (!isOpen(peer)) return null;
    if ('code' in claims) {
      peer.log.info({ reason: claims.reason }, 'resume refused');
      peer.notAdmitted();
      peer.fail(claims.code);
      return null;
    }
    peer.resumeAs(claims.peer);
    resumed = true;
  }
  await relay.rooms.prepare(message.room);
  return { resumed };
}

/** Sends every joined peer a fresh `resumeToken` every third of a token's lifetime. */
export class ResumeRefresh {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly relay: Pick<Relay, 'rooms' | 'resume'>) {}

  start(): void {
    this.timer = setInterval(() => void this.refreshAll(), (this.relay.resume.ttlS * 1000) / 3);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refreshAll(): Promise<void> {
    for (const peer of [...this.relay.rooms.peers()]) await sendResumeToken(this.relay, peer);
  }
}
