/**
 * A room's chat: whether the broadcaster has it on, and the last {@link LIMITS.chatHistory} messages, which each new
 * joiner gets in `chatHistory`. Messages are kept in memory only, for as long as the room exists.
 */
import { type ChatEntry, LIMITS } from '../../protocol/messages.ts';

export class RoomChat {
  /** Off when the broadcaster has sent `chatSettings {enabled: false}`; a new room starts with chat on. */
  enabled = true;
  private readonly entries: ChatEntry[] = [];

  /** Keep `entry`, dropping the oldest beyond the history limit. */
  add(entry: ChatEntry): void {
    this.entries.push(entry);
    if (this.entries.length > LIMITS.chatHistory) this.entries.shift();
  }

  /** The kept messages, oldest first (a copy). */
  history(): ChatEntry[] {
    return [...this.entries];
  }
}
