/**
 * The one typed listener map, used by every client of the relay (the pages' signalling client, the simulator's relay
 * connection) and by the pages' own components: `on(event, listener)` returns a function that removes the listener,
 * and a listener's arguments are checked by the compiler against the event's. {@link MessageListeners} keys it on a
 * protocol message's `type`.
 */
import type { ServerMessage, ServerMessageOf, ServerMessageType } from './messages.ts';

/** What each event passes to its listeners: `{ state: [state: string]; open: [] }`. */
export type EventMap = { [event: string]: unknown[] };

type AnyListener = (...args: unknown[]) => void;

export class Listeners<Events extends EventMap> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  /**
   * Call `listener` on every `event` from now on.
   * @returns a function that removes it (calling it twice is harmless)
   */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const added = listener as unknown as AnyListener;
    set.add(added);
    return () => void set.delete(added);
  }

  /** Call every listener of `event` with `args`, in the order they were added. */
  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

/** One event per server message type, passing the message. */
export type ServerMessageEvents = { [T in ServerMessageType]: [message: ServerMessageOf<T>] };

/** Listeners keyed on the `type` of server messages: `on("offer", (m) => m.sdp)`. */
export class MessageListeners extends Listeners<ServerMessageEvents> {
  /** Hand `message` to the listeners of its type. */
  deliver(message: ServerMessage): void {
    (this.emit as (type: ServerMessageType, message: ServerMessage) => void)(message.type, message);
  }
}
