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
    const members = this.directory.get(room);
    const broadcaster = members?.broadcasterSink;
    const sink = broadcaster?.id === peerId ? broadcaster : members?.watcherSink(peerId);
    sink?.sendRaw(JSON.stringify(message));
  }

  toBroadcaster(room: string, message: ServerMessage): void {
    this.directory.get(room)?.broadcasterSink?.sendRaw(JSON.stringify(message));
  }

  toWatchers(room: string, message: ServerMessage): void {
    const members = this.directory.get(room);
    if (members) sendAll(members.watcherSinks(), JSON.stringify(message));
  }

  toRoom(room: string, message: ServerMessage): void {
    const members = this.directory.get(room);
    if (!members) return;
    const frame = JSON.stringify(message);
    sendAll(members.watcherSinks(), frame);
    members.broadcasterSink?.sendRaw(frame);
  }
}

function sendAll(sinks: Iterable<Sink>, frame: string): void {
  for (const sink of sinks) sink.sendRaw(frame);
}
