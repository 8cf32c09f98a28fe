/**
 * The broadcaster's `stats` report (per-watcher `getStats()` figures from its page): summarized and kept on the room
 * (the latest replaces the one before), for `/metrics` and `/api/rooms`. Nothing is sent on.
 */
import type { HandlerRegistry } from '../signaling/handlers.ts';
import { summarize } from '../signaling/delivered.ts';

/** The `stats` part of the relay's handler registry. */
export const STATS_HANDLERS: Pick<HandlerRegistry, 'stats'> = {
  stats: ({ room }, message) => {
    room.recordDelivery(summarize(message.watchers));
    return true;
  },
};
