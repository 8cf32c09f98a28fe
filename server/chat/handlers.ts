/**
 * Room chat, in a star through the server: a peer sends `chat {text, name?}`; the server checks the room has chat
 * on and the sender is within its rate limit, stamps the sender's id, role and the time, keeps it in the room's
 * history and sends it to everyone in the room (the sender included). Only the broadcaster turns chat on or off.
 */
import type { ClientMessageOf } from '../../protocol/messages.ts';
import type { Peer } from '../signaling/peer.ts';
import type { Room } from '../signaling/room.ts';
import { takeChatToken } from './rate-limit.ts';

/** The name shown when a sender gives none. */
export const DEFAULT_NAMES = { broadcaster: 'Broadcaster', watcher: 'Viewer' } as const;

/**
 * Relay one chat message to the room.
 * @returns true when it was delivered; false after `chat_disabled` or `chat_rate_limited` to the sender
 */
export function chat(peer: Peer, room: Room, message: ClientMessageOf<'chat'>): boolean {
  if (!room.chat.enabled) {
    peer.fail('chat_disabled');
    return false;
  }
  if (!takeChatToken(peer)) {
    peer.fail('chat_rate_limited');
    return false;
  }
  const role = peer.role ?? 'watcher';
  const entry = { type: 'chat', from: peer.id, role, name: message.name ?? DEFAULT_NAMES[role], text: message.text, at: Date.now() } as const;
  room.chat.add(entry);
  room.toAll(entry);
  return true;
}

/** The broadcaster turns chat on or off; everyone in the room is told (even when it did not change). */
export function chatSettings(_peer: Peer, room: Room, message: ClientMessageOf<'chatSettings'>): boolean {
  room.chat.enabled = message.enabled;
  room.toAll({ type: 'chatSettings', enabled: message.enabled });
  return true;
}
