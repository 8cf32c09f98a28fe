/**
 * Joining and leaving a room, once admitted: a broadcaster taking over, `joined` (with the ICE servers), the room's
 * viewer count and chat history to the joiner, the rest of the room told, and the fast join handed to the media path.
 * Leaving tells the room what the peer's going means.
 */
import type { JoinMessage } from '../../protocol/messages.ts';
import { iceServersFor } from '../ice/ice-servers.ts';
import type { Peer } from './peer.ts';
import type { Relay } from './relay.ts';

/** What `joined` says about the identity. */
export interface Session {
  /** This `join` resumed an earlier connection's identity (`resume.ts`). */
  resumed: boolean;
}

/**
 * A resumed peer's old connection on this node, if it is still here (its socket has not been seen to close yet):
 * take it out of the room without telling anyone it left (the same peer is back), and close it with
 * `resumed_elsewhere` so that a page still behind it stops reconnecting.
 */
function displace(relay: Relay, peer: Peer, roomName: string): void {
  const old = relay.rooms.get(roomName)?.localPeer(peer.id);
  if (!old || old === peer) return;
  relay.rooms.remove(old);
  old.fail('resumed_elsewhere');
}

/**
 * Put an admitted peer in the room its `join` names. A broadcaster joining a room that has one takes it over when
 * `BROADCASTER_TAKEOVER=takeover` (the old one gets `broadcaster_replaced`), else it gets `broadcaster_exists`.
 *
 * @returns true once joined; false after an error to the peer (`broadcaster_exists`, `room_full`), which closes it
 */
export function join(relay: Relay, peer: Peer, message: JoinMessage, session: Session): boolean {
  const { config, rooms } = relay;
  if (session.resumed) displace(relay, peer, message.room);
  const current = message.role === 'broadcaster' ? rooms.get(message.room)?.broadcaster : null;
  if (current && config.broadcasterTakeover === 'takeover') {
    current.fail('broadcaster_replaced');
    leave(relay, current);
  }
  const room = rooms.admit(peer, message.room, message.role);
  if (typeof room === 'string') {
    peer.fail(room);
    return false;
  }
  peer.send({
    type: 'joined',
    id: peer.id,
    room: room.name,
    role: message.role,
    iceServers: iceServersFor(config, peer.id),
    iceTransportPolicy: config.iceTransportPolicy,
    broadcaster: room.liveBroadcasterId,
    resumed: session.resumed,
  });
  peer.send({ type: 'viewerCount', count: room.watcherCount });
  peer.send({ type: 'chatHistory', enabled: room.chatEnabled, messages: room.chatHistory() });
  if (config.turn) relay.counters?.turnCredentialsIssued(config.turn.mode);
  if (message.role === 'watcher') relay.viewerCounts.changed(room.name);
  peer.log.info({ resumed: session.resumed }, 'joined');
  // The fast join: a watcher's `join` into a live room stands for its first `getBroadcast` (one round trip less).
  if (message.role === 'watcher' && message.getBroadcast) relay.media.watcherJoined(room, peer.id);
  return true;
}

/**
 * Take `peer` out of its room (its socket closed, or it was replaced). When the broadcaster of a live room goes, the
 * watchers are told `broadcastEnded`; when a watcher goes, the media path lets the broadcaster know and the room
 * gets its new viewer count. Does nothing for a peer in no room.
 */
export function leave(relay: Relay, peer: Peer): void {
  const left = relay.rooms.remove(peer);
  if (!left) return;
  const { room, removal } = left;
  if (removal.role === 'broadcaster') {
    relay.media.broadcasterLeft(room);
    if (removal.wasLive) relay.bus.toWatchers(room.name, { type: 'broadcastEnded', id: peer.id });
  } else {
    relay.media.watcherLeft(room, peer.id);
    relay.viewerCounts.changed(room.name);
  }
  if (room.empty) relay.viewerCounts.forget(room.name);
}
