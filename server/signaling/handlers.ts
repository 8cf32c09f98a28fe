/**
 * What the relay does with each message type once a peer has joined: a registry from `type` to handler, not a
 * switch. This file holds the handler's shape, the signalling handlers (a broadcaster going live, and the media
 * signalling that the room's {@link MediaPath} carries) and the dispatch; `chat/` and `ops/` add theirs, and
 * `server/relay-handlers.ts` puts the registry together. Handlers deliver through the {@link Bus} only, so where peers
 * live (this process, another node) is not theirs to know; media signalling goes through the media path only, so how
 * media flows (mesh, SFU) is not theirs either.
 */
import type { AddressedMessage, ClientMessage, ClientMessageOf, ClientMessageType } from '../../protocol/messages.ts';
import { ROUTES } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import type { MediaPath } from '../media/media-path.ts';
import type { Peer } from './peer.ts';
import type { Room } from './room.ts';

/** Every client message type but `join` (which the join handles, before a peer is in a room). */
export type RelayedType = Exclude<ClientMessageType, 'join'>;

/** What a handler works with: the sender (joined, its role checked), its room, the bus and the room's media path. */
export interface HandlerContext {
  peer: Peer;
  room: Room;
  bus: Bus;
  media: MediaPath;
}

/** A handler for one message type; true when it delivered (or kept) the message, false when it refused it. */
export type Handler<T extends RelayedType> = (ctx: HandlerContext, message: ClientMessageOf<T>) => boolean;

/** A handler for every relayed type: the compiler checks none is missing. */
export type HandlerRegistry = { [T in RelayedType]: Handler<T> };

/** The broadcaster announces it has media: every watcher of the room is told, with `from` set to its id. */
const broadcastAvailable: Handler<'broadcastAvailable'> = ({ peer, room, bus }) => {
  room.goLive();
  bus.toWatchers(room.name, { type: 'broadcastAvailable', from: peer.id });
  return true;
};

/** Media signalling between the broadcaster and one watcher, carried by the room's media path. */
const signal = ({ peer, room, media }: HandlerContext, message: AddressedMessage): boolean => {
  const refusal = media.signal(room, { id: peer.id, role: peer.role ?? 'watcher' }, message);
  if (refusal) {
    peer.fail(refusal.code, refusal.detail);
    return false;
  }
  peer.log.debug({ type: message.type, to: message.to }, 'relayed');
  return true;
};

/** The broadcaster's adaptation could not hold full quality: the media path may relieve it (the SFU path escalates). */
const qualityLimited: Handler<'qualityLimited'> = ({ room, media }, message) => {
  media.qualityLimited(room, message.reason);
  return true;
};

/** The signalling part of the registry. */
export const SIGNALING_HANDLERS = {
  broadcastAvailable,
  getBroadcast: signal,
  offer: signal,
  answer: signal,
  iceOfferCandidate: signal,
  iceAnswerCandidate: signal,
  hangup: signal,
  qualityLimited,
} satisfies Partial<HandlerRegistry>;

/**
 * Dispatch a parsed message from a joined peer: check its role may send it (`ROUTES`), then run its handler.
 * @returns true when the message was delivered (or kept, for `stats`); false when it was refused
 */
export function dispatch(handlers: HandlerRegistry, ctx: HandlerContext, message: Exclude<ClientMessage, { type: 'join' }>): boolean {
  const from: string = ROUTES[message.type].from;
  if (from !== 'any' && from !== ctx.peer.role) {
    ctx.peer.fail('forbidden', `A ${ctx.peer.role} may not send "${message.type}".`);
    return false;
  }
  return (handlers[message.type] as Handler<typeof message.type>)(ctx, message);
}
