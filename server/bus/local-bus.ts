/**
 * The in-process {@link Bus}: every peer is connected to this process, so delivering is finding the room's sockets
 * in the {@link PeerDirectory} and writing to them. A message for many peers is serialized once.
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Bus, PeerDirectory, Sink } from './bus.ts';

export class LocalBus implements Bus {
  /** @param directory the rooms of this process (the relay's `Rooms`) */
  constructor(private readonly directory: PeerDirectory) {}

  toPeer(room: string, peerId: string, message: ServerMessage): void {
    this.sendFrameTo(room, peerId, JSON.stringify(message));
  }

  toBroadcaster(room: string, message: ServerMessage): void {
    this.directory.get(room)?.broadcasterSink?.sendRaw(JSON.stringify(message));
  }

  toWatchers(room: string, message: ServerMessage): void {
    this.sendFrame(room, 'watchers', JSON.stringify(message));
  }

  toRoom(room: string, message: ServerMessage): void {
    this.sendFrame(room, 'all', JSON.stringify(message));
  }

  /** Write an already serialized frame to peer `id` of `room` (a frame another node sent here). */
  sendFrameTo(room: string, id: string, frame: string): void {
    const members = this.directory.get(room);
    const broadcaster = members?.broadcasterSink;
    (broadcaster?.id === id ? broadcaster : members?.watcherSink(id))?.sendRaw(frame);
  }

  /** Write an already serialized frame to the watchers of `room`, or to everyone in it. */
  sendFrame(room: string, to: 'watchers' | 'all', frame: string): void {
    const members = this.directory.get(room);
    if (!members) return;
    sendAll(members.watcherSinks(), frame);
    if (to === 'all') members.broadcasterSink?.sendRaw(frame);
  }
}

function sendAll(sinks: Iterable<Sink>, frame: string): void {
  for (const sink of sinks) sink.sendRaw(frame);
}
