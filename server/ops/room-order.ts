/**
 * The order `ops/` lists rooms in: the most watchers first, then by name. `/metrics` labels the first rooms of it,
 * `/api/rooms` lists the first rooms of it.
 */
import type { RoomSnapshot } from '../signaling/room.ts';

/** Rooms sorted by audience, largest first, ties by name (a new array). */
export function byAudience<R extends Pick<RoomSnapshot, 'watchers' | 'name'>>(rooms: Iterable<R>): R[] {
  return [...rooms].sort((a, b) => b.watchers - a.watchers || a.name.localeCompare(b.name));
}
