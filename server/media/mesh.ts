/**
 * The peer-to-peer mesh, OnAir's first {@link MediaPath}: the broadcaster's page opens one RTCPeerConnection per
 * watcher, and the server relays the offer, the answer and the trickled ICE candidates between the two (JSEP,
 * RFC 8829; trickle ICE, RFC 8838; candidates per RFC 8445), through the {@link Bus}.
 */
import type { AddressedMessage, ClientMessageOf, ServerMessage, ServerMessageOf } from '../../protocol/messages.ts';
import { ROUTES } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import type { MediaPath, MediaReport, Refusal, RoomView, Sender } from './media-path.ts';

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
  hangup: ({ type }, from) => ({ type, from }),
};

export class MeshMediaPath implements MediaPath {
  /** @param bus where the relayed messages go */
  constructor(private readonly bus: Bus) {}

  /** The fast join: the watcher's `join` stands for its first `getBroadcast`, passed on to a live broadcaster. */
  watcherJoined(room: RoomView, watcherId: string): void {
    if (room.live && room.broadcasterId) this.bus.toBroadcaster(room.name, { type: 'getBroadcast', from: watcherId });
  }

  /** Relay one addressed message to the peer of the room it names, if the route allows that peer's role. */
  signal(room: RoomView, from: Sender, message: AddressedMessage): Refusal | null {
    const route = ROUTES[message.type];
    const found = route.to === 'broadcaster' ? room.broadcasterId === message.to : room.hasWatcher(message.to);
    if (!found) return { code: 'peer_not_found', detail: `${message.type}: no ${route.to} ${message.to} in room ${room.name}.` };
    const stamp = STAMPED[message.type] as (message: AddressedMessage, from: string) => ServerMessage;
    this.bus.toPeer(room.name, message.to, stamp(message, from.id));
    return null;
  }

  /** The broadcaster closes its peer connection to the watcher that left. */
  watcherLeft(room: RoomView, watcherId: string): void {
    this.bus.toBroadcaster(room.name, { type: 'watcherLeft', id: watcherId });
  }

  /** Nothing to free: the broadcaster's page held every peer connection. */
  broadcasterLeft(): void {}

  /** Nothing to do: on the mesh, stepping down (the broadcaster's own adaptation) is all there is. */
  qualityLimited(): void {}

  /** Every watcher is served peer to peer. */
  report(_name: string, watchers: number): MediaReport {
    return { path: 'mesh', viewers: { mesh: watchers, sfu: 0 } };
  }
}
