/**
 * Admission: whether a connection's `join` may proceed (join tokens, protected mode; see `server/auth/authorize.ts`).
 * A refusal is `unauthorized` after a random delay, so a key cannot be guessed quickly; the reason goes to the log
 * only.
 */
import type { JoinMessage } from '../../protocol/messages.ts';
import { authorizeJoin, refusalDelay, type ClientOrigin } from '../auth/authorize.ts';
import type { Config } from '../config.ts';
import type { Peer } from './peer.ts';

/**
 * Check `peer`'s right to join as its `join` asks, then call `admitted` (at once when no token has to be checked).
 * While a token is checked, and after a refusal, the peer is `admitting`: a second `join` is refused.
 *
 * @param from     where the connection comes from (protected mode admits broadcasters from loopback only)
 * @param admitted called once, only if the peer may join and its socket is still open
 */
export function admit(
  peer: Peer,
  message: JoinMessage,
  from: ClientOrigin,
  config: Pick<Config, 'broadcastSecret' | 'watchSecret'>,
  admitted: () => void,
): void {
  const refuse = async (reason: string) => {
    peer.log.info({ reason, room: message.room, role: message.role }, 'join refused');
    await refusalDelay();
    peer.fail('unauthorized');
  };
  const verdict = authorizeJoin(message, from, config);
  if (verdict === null) return admitted();
  peer.admitting();
  if (typeof verdict === 'string') return void refuse(verdict);
  void verdict.then((reason) => {
    if (peer.socket.readyState !== peer.socket.OPEN) return;
    if (reason !== null) return refuse(reason);
    admitted();
  });
}
