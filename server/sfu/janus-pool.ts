/**
 * The Janus instances one OnAir node uses (`JANUS_URLS`, or the one external or managed Janus): each with its own
 * {@link JanusConnection} and {@link JanusClient}, and what this node has placed on it (rooms, subscriptions), which
 * is what "least loaded" means here. Each node counts only its own placements (with several nodes, rooms stay on the
 * mesh for now: README "Scaling out").
 *
 * Events: `up` (an instance's session came up: rooms waiting for an SFU can escalate), `down` (an instance's
 * session was lost).
 */
import { EventEmitter } from 'node:events';
import type { JanusClient } from './janus-client.ts';
import type { JanusConnectionState } from './janus-connection.ts';

/** One Janus instance and this node's placements on it. */
export class JanusInstance {
  /** A short name for logs and metrics (`janus-1`…), never its URL or secrets. */
  readonly name: string;
  readonly client: JanusClient;
  /** Where another instance sends forwarded RTP for a cascade (the host of its API URL; loopback when managed). */
  readonly rtpHost: string;
  #rooms = 0;
  #viewers = 0;

  constructor(name: string, client: JanusClient, rtpHost: string) {
    this.name = name;
    this.client = client;
    this.rtpHost = rtpHost;
  }

  get up(): boolean {
    return this.client.connection.state === 'up';
  }

  /** Janus rooms this node holds on it (an escalated room, or a cascade's second room). */
  get rooms(): number {
    return this.#rooms;
  }

  /** Subscriptions (watchers) this node placed on it. */
  get viewers(): number {
    return this.#viewers;
  }

  /** Count a room (+1) or its end (-1). */
  countRoom(delta: 1 | -1): void {
    this.#rooms = Math.max(0, this.#rooms + delta);
  }

  /** Count a subscription (+1) or its end (-1). */
  countViewer(delta: 1 | -1): void {
    this.#viewers = Math.max(0, this.#viewers + delta);
  }
}

export interface JanusPoolEvents {
  up: [instance: JanusInstance];
  down: [instance: JanusInstance];
}

/** Every Janus instance of this node, in configuration order. */
export class JanusPool extends EventEmitter<JanusPoolEvents> {
  readonly instances: readonly JanusInstance[];

  /** @throws Error for an empty list */
  constructor(instances: readonly JanusInstance[]) {
    super();
    if (instances.length === 0) throw new Error('a Janus pool needs at least one instance');
    this.instances = Object.freeze([...instances]);
    for (const instance of instances) {
      instance.client.connection.on('up', () => this.emit('up', instance));
      instance.client.connection.on('down', () => this.emit('down', instance));
    }
  }

  /** `up` when any instance is; else `connecting` when any is; else `down` (`closed` once all are closed). */
  get state(): JanusConnectionState {
    const states = this.instances.map((i) => i.client.connection.state);
    if (states.includes('up')) return 'up';
    if (states.includes('connecting')) return 'connecting';
    return states.every((s) => s === 'closed') ? 'closed' : 'down';
  }

  /** Whether any instance can take a room now. */
  get anyUp(): boolean {
    return this.instances.some((i) => i.up);
  }

  /**
   * The instance to place a new room (or a cascade) on: the up instance with the fewest viewers, then the fewest
   * rooms, then the first configured.
   * @param except instances not to pick (those a room already uses)
   * @returns null when no other instance is up
   */
  leastLoaded(except: ReadonlySet<JanusInstance> = new Set()): JanusInstance | null {
    let best: JanusInstance | null = null;
    for (const instance of this.instances) {
      if (!instance.up || except.has(instance)) continue;
      if (!best || instance.viewers < best.viewers || (instance.viewers === best.viewers && instance.rooms < best.rooms)) best = instance;
    }
    return best;
  }

  /** Close every instance's connection. */
  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.client.connection.close()));
  }
}
