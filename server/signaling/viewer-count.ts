/**
 * `viewerCount` to a room when its number of watchers changed, at most once per {@link VIEWER_COUNT_INTERVAL_MS}: a
 * join storm sends a few, not thousands. Sent through the {@link Bus} to everyone in the room.
 */
import type { Bus } from '../bus/bus.ts';

/** The shortest gap between two `viewerCount` messages to a room, in ms. */
export const VIEWER_COUNT_INTERVAL_MS = 200;

interface Sent {
  /** The count last sent (-1: none yet). */
  count: number;
  /** When it went out, ms since the Unix epoch. */
  at: number;
  timer: NodeJS.Timeout | null;
}

export class ViewerCounts {
  private readonly rooms = new Map<string, Sent>();

  /**
   * @param bus   where `viewerCount` goes
   * @param count the number of watchers of a room now; undefined when the room is gone
   */
  constructor(
    private readonly bus: Bus,
    private readonly count: (room: string) => number | undefined,
  ) {}

  /**
   * The number of watchers of `room` may have changed: send it at once if the last one went out more than
   * {@link VIEWER_COUNT_INTERVAL_MS} ago, otherwise once at the end of that interval with the count then.
   */
  changed(room: string): void {
    let sent = this.rooms.get(room);
    if (!sent) this.rooms.set(room, (sent = { count: -1, at: 0, timer: null }));
    if (sent.timer) return;
    const wait = sent.at + VIEWER_COUNT_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.send(room, sent);
    const pending = sent;
    pending.timer = setTimeout(() => {
      pending.timer = null;
      this.send(room, pending);
    }, wait);
    pending.timer.unref();
  }

  /** The room is gone: drop its pending message and what was sent (a new room of that name starts afresh). */
  forget(room: string): void {
    const sent = this.rooms.get(room);
    if (sent?.timer) clearTimeout(sent.timer);
    this.rooms.delete(room);
  }

  private send(room: string, sent: Sent): void {
    const count = this.count(room);
    if (count === undefined || count === sent.count) return;
    sent.count = count;
    sent.at = Date.now();
    this.bus.toRoom(room, { type: 'viewerCount', count });
  }
}
