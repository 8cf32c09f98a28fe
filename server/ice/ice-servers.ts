/**
 * The ICE servers (RFC 8445 §2.1: STUN, RFC 8489; TURN, RFC 8656) a client gets in its `joined` message. Pages never
 * carry ICE servers of their own: they use exactly these.
 */
import type { Config } from '../config.ts';
import type { IceServer } from '../../protocol/messages.ts';
import { mintTurnCredentials } from './turn-credentials.ts';

/**
 * The `RTCIceServer` list for one peer: the STUN URLs, then TURN with static credentials or credentials minted
 * for this peer (valid `turn.ttlSeconds`).
 *
 * @param config the STUN/TURN slice of the configuration
 * @param peerId the id the server assigned to the peer
 */
export function iceServersFor(config: Pick<Config, 'stunUrls' | 'turn'>, peerId: string): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  const turn = config.turn;
  if (turn?.mode === 'static') {
    servers.push({ urls: [...turn.urls], username: turn.username, credential: turn.credential });
  } else if (turn?.mode === 'secret') {
    const { username, credential } = mintTurnCredentials(turn.secret, peerId, turn.ttlSeconds);
    servers.push({ urls: [...turn.urls], username, credential });
  }
  return servers;
}
