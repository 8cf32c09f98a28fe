/**
 * What a node publishes to other nodes in one turn of the event loop, sent at the end of it: consecutive items for
 * the same channel go as one Redis message (a JSON array), in the order they were given, so a busy node publishes a
 * few messages per turn instead of one per relayed frame, and the order per sender and receiver is kept (items for
 * other channels in between are published between them, on the same connection).
 */
export class Outbox<Item> {
  private pending: Array<{ channel: string; items: Item[] }> = [];
  private scheduled = false;

  /**
   * @param publish send one message on a channel (its errors are the caller's to handle)
   */
  constructor(private readonly publish: (channel: string, message: string) => void) {}

  /** Queue `item` for `channel`; published at the end of this turn of the event loop, or by {@link flush}. */
  push(channel: string, item: Item): void {
    const last = this.pending[this.pending.length - 1];
    if (last?.channel === channel) last.items.push(item);
    else this.pending.push({ channel, items: [item] });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Publish everything queued now (before something that must come after it, e.g. a membership change). */
  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = [];
    for (const { channel, items } of pending) this.publish(channel, JSON.stringify(items));
  }
}
