/**
 * The {@link Bus} of a cluster: a message for a peer this node holds is written to its socket here (as the
 * in-process bus does); one for a peer of another node crosses Redis to that node's channel; one for a room's
 * watchers (or everyone) is written to the local ones and, when other nodes hold peers of the room, published once
 * on the room's channel for them. The handlers cannot tell it from the {@link LocalBus}.
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Bus, PeerDirectory } from '../bus/bus.ts';
import { LocalBus } from '../bus/local-bus.ts';
import type { Cluster } from './cluster.ts';

export class RedisBus implements Bus {
  /** Delivery to the peers this node holds, also used for what other nodes send here. */
  readonly local: LocalBus;

  /**
   * @param directory this node's rooms
   * @param cluster   this node's place in the cluster (membership mirrors, channels)
   */
  constructor(
    private readonly directory: PeerDirectory,
    private readonly cluster: Cluster,
  ) {
    this.local = new LocalBus(directory);
  }

  toPeer(room: string, peerId: string, message: ServerMessage): void {
    const members = this.directory.get(room);
    if (members?.broadcasterSink?.id === peerId || members?.watcherSink(peerId)) return this.local.toPeer(room, peerId, message);
    const mirror = this.cluster.mirror(room);
    const node = mirror?.nodeOf(peerId) ?? (mirror?.broadcaster?.id === peerId ? mirror.broadcaster.node : undefined);
    if (node) this.cluster.toNode(node, room, peerId, JSON.stringify(message));
  }

  toBroadcaster(room: string, message: ServerMessage): void {
    if (this.directory.get(room)?.broadcasterSink) return this.local.toBroadcaster(room, message);
    const remote = this.cluster.mirror(room)?.broadcaster;
    if (remote) this.cluster.toNode(remote.node, room, remote.id, JSON.stringify(message));
  }

  toWatchers(room: string, message: ServerMessage): void {
    const frame = JSON.stringify(message);
    this.local.sendFrame(room, 'watchers', frame);
    this.cluster.fanOut(room, 'watchers', frame);
  }

  toRoom(room: string, message: ServerMessage): void {
    const frame = JSON.stringify(message);
    this.local.sendFrame(room, 'all', frame);
    this.cluster.fanOut(room, 'all', frame);
  }
}
