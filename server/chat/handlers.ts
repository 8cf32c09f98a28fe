/**
 * Room chat, in a star through the server: a peer sends `chat {text, name?}`; the server checks the room has chat
 * on and the sender is within its rate limit, stamps the sender's id, role and the time, keeps it in the room's
 * history and sends it to everyone in the room (the sender included). Only the broadcaster turns chat on or off.
 */
import type { HandlerRegistry } from '../signaling/handlers.ts';
import { ChatRateLimit } from './rate-limit.ts';

/** The name shown when a sender gives none. */
export const DEFAULT_NAMES = { broadcaster: 'Broadcaster', watcher: 'Viewer' } as const;

/**
 * The chat part of the relay's handler registry, with its own rate limit.
 *
 * `chat` returns true when it was delivered; false after `chat_disabled` or `chat_rate_limited` to the sender.
 * `chatSettings`: everyone in the room is told (even when it did not change).
 */
export function chatHandlers(limit = new ChatRateLimit()): Pick<HandlerRegistry, 'chat' | 'chatSettings'> {
  return {
    chat: ({ peer, room, bus }, message) => {
      if (!room.chatEnabled) {
        peer.fail('chat_disabled');
        return false;
      }
      if (!limit.take(peer)) {
        peer.fail('chat_rate_limited');
        return false;
      }
      const role = peer.role ?? 'watcher';
      const entry = { type: 'chat', from: peer.id, role, name: message.name ?? DEFAULT_NAMES[role], text: message.text, at: Date.now() } as const;
      room.addChat(entry);
      bus.toRoom(room.name, entry);
      return true;
    },
    chatSettings: ({ room, bus }, message) => {
      room.setChat(message.enabled);
      bus.toRoom(room.name, { type: 'chatSettings', enabled: message.enabled });
      return true;
    },
  };
}
