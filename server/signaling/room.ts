/**
 * One room: at most one broadcaster and any number of watchers. Rooms are independent broadcasts; the relay only
 * ever delivers between peers of the same room.
 */
import { RoomChat } from '../chat/room-chat.ts';
import type { Delivered } from '../ops/delivered.ts';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';

/** The shortest gap between two `viewerCount` messages to a room, in ms (a join storm sends a few, not thousands). */
export const VIEWER_COUNT_INTERVAL_MS = 200;

export class Room {
  broadcaster: Peer | null = null;
  /** True once the broadcaster has sent `broadcastAvailable`: it has media and answers `getBroadcast`. */
  live = false;
  readonly watchers = new Map<string, Peer>();
  /** The room's chat: on/off and recent history. */
  readonly chat = new RoomChat();
  /** The broadcaster's latest `stats` report, summarized; null before the first or after the broadcaster left. */
  delivered: Delivered | null = null;
  private lastViewerCount = -1;
  private lastViewerCountAt = 0;
  private viewerCountTimer: NodeJS.Timeout | null = null;

  constructor(readonly name: string) {}

  get empty(): boolean {
    return this.broadcaster === null && this.watchers.size === 0;
  }

  /** The live broadcaster's id, or null (what `joined.broadcaster` reports). */
  get liveBroadcasterId(): string | null {
    return this.live && this.broadcaster ? this.broadcaster.id : null;
  }

  /** Send one message to every watcher, serialized once. */
  toWatchers(message: ServerMessage): void {
    this.sendFrame(JSON.stringify(message));
  }

  /** Send one message to the broadcaster and every watcher, serialized once. */
  toAll(message: ServerMessage): void {
    const frame = JSON.stringify(message);
    this.sendFrame(frame);
    this.broadcaster?.sendRaw(frame);
  }

  private sendFrame(frame: string): void {
    for (const watcher of this.watchers.values()) watcher.sendRaw(frame);
  }

  /**
   * Send `viewerCount` to the room when it has changed: at once if the last one went out more than
   * {@link VIEWER_COUNT_INTERVAL_MS} ago, otherwise once at the end of that interval with the count then.
   */
  viewerCountChanged(): void {
    if (this.viewerCountTimer) return;
    const wait = this.lastViewerCountAt + VIEWER_COUNT_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.sendViewerCount();
      return;
    }
    this.viewerCountTimer = setTimeout(() => {
      this.viewerCountTimer = null;
      this.sendViewerCount();
    }, wait);
    this.viewerCountTimer.unref();
  }

  /** Stop pending timers (the room is being discarded). */
  dispose(): void {
    if (this.viewerCountTimer) clearTimeout(this.viewerCountTimer);
    this.viewerCountTimer = null;
  }

  private sendViewerCount(): void {
    const count = this.watchers.size;
    if (count === this.lastViewerCount) return;
    this.lastViewerCount = count;
    this.lastViewerCountAt = Date.now();
    this.toAll({ type: 'viewerCount', count });
  }
}
