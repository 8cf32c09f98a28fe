/**
 * How many watchers a room takes. A mesh broadcaster encodes once per watcher, so past some count every viewer's
 * picture suffers; `MAX_VIEWERS` lets the operator refuse watchers beyond the count their broadcasters sustain
 * (`npm run bench` measures it), with `room_full` instead of a frozen picture for everyone.
 */
import type { Room } from './room.ts';

/**
 * Whether `room` already has as many watchers as allowed.
 *
 * @param room       the room a watcher wants to join
 * @param maxViewers the most watchers per room; 0 means no limit
 */
export function roomIsFull(room: Room, maxViewers: number): boolean {
  return maxViewers > 0 && room.watcherCount >= maxViewers;
}
