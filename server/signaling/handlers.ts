/**
 * What the relay does with each message type once a peer has joined: a map from `type` to handler, not a switch.
 * Every relayed message is re-addressed by the server: `to` is checked against the room and the sender's role,
 * and `from` is stamped with the sender's id, so no client can speak for another.
 */
import { chat, chatSettings } from '../chat/handlers.ts';
import { stats } from '../ops/delivered.ts';
import type { AddressedMessage, ClientMessage, ClientMessageOf, ClientMessageType, ServerMessage, ServerMessageOf } from '../../protocol/messages.ts';
import { ROUTES } from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';
import type { Room } from './room.ts';

/** A handler for one message type, called only for joined peers, after the role check; true when it delivered. */
type Handler<T extends ClientMessage> = (peer: Peer, room: Room, message: T) => boolean;

/** The broadcaster announces it has media: every watcher of the room is told, with `from` set to its id. */
const broadcastAvailable: Handler<Extract<ClientMessage, { type: 'broadcastAvailable' }>> = (peer, room) => {
  room.live = true;
  room.toWatchers({ type: 'broadcastAvailable', from: peer.id });
  return true;
};

/**
 * The relayed copy of each addressed message: its fields but `to`, and `from` stamped by the server. One object
 * literal per type rather than a rest/spread copy: the relay's hottest line, and its output is typed.
 */
const STAMPED: { [T in AddressedMessage['type']]: (message: ClientMessageOf<T>, from: string) => ServerMessageOf<T> } = {
  getBroadcast: ({ type }, from) => ({ type, from }),
  offer: ({ type, sdp }, from) => ({ type, from, sdp }),
  answer: ({ type, sdp }, from) => ({ type, from, sdp }),
  iceOfferCandidate: ({ type, candidate }, from) => ({ type, from, candidate }),
  iceAnswerCandidate: ({ type, candidate }, from) => ({ type, from, candidate }),
};

/** Relay one addressed message to one peer of the room whose role the route allows. */
const relay: Handler<AddressedMessage> = (peer, room, message) => {
  const route = ROUTES[message.type];
  const target = route.to === 'broadcaster' ? room.broadcaster : room.watchers.get(message.to);
  if (!target || target.id !== message.to) {
    peer.fail('peer_not_found', `${message.type}: no ${route.to} ${message.to} in room ${room.name}.`);
    return false;
  }
  const stamp = STAMPED[message.type] as (message: AddressedMessage, from: string) => ServerMessage;
  target.send(stamp(message, peer.id));
  peer.log.debug({ type: message.type, to: target.id }, 'relayed');
  return true;
};

export const HANDLERS: { [T in Exclude<ClientMessageType, 'join'>]: Handler<Extract<ClientMessage, { type: T }>> } = {
  broadcastAvailable,
  getBroadcast: relay,
  offer: relay,
  answer: relay,
  iceOfferCandidate: relay,
  iceAnswerCandidate: relay,
  chat,
  chatSettings,
  stats,
};

/**
 * Dispatch a parsed message from a joined peer: check its role may send it, then run its handler.
 * @returns true when the message was delivered (or kept, for `stats`); false when it was refused
 */
export function dispatch(peer: Peer, room: Room, message: Exclude<ClientMessage, { type: 'join' }>): boolean {
  const from: string = ROUTES[message.type].from;
  if (from !== 'any' && from !== peer.role) {
    peer.fail('forbidden', `A ${peer.role} may not send "${message.type}".`);
    return false;
  }
  return (HANDLERS[message.type] as Handler<typeof message>)(peer, room, message);
}
