/**
 * The Janus instances one OnAir node uses (`JANUS_URLS`, or the one external or managed Janus): each with its own
 * {@link JanusConnection} and {@link JanusClient}, what this node has placed on it (rooms, subscriptions), and, in a
 * cluster whose nodes share instances, the subscriptions the other nodes placed there (`server/cluster/janus-loads.ts`
 * shares them through Redis). Its load, this node's subscriptions plus the others', is what "least loaded" means.
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
  /** Its API URL when it is external: what names it across nodes. Null for a managed Janus (this node's own). */
  readonly url: string | null;
  #rooms = 0;
  #viewers = 0;
  #elsewhere = 0;

  constructor(name: string, client: JanusClient, rtpHost: string, url: string | null = null) {
    this.name = name;
    this.client = client;
    this.rtpHost = rtpHost;
    this.url = url;
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

  /** Subscriptions on it: this node's and, when shared, the other nodes' (as last heard). */
  get load(): number {
    return this.#viewers + this.#elsewhere;
  }

  /** What the other nodes of the cluster placed on it, as last heard (0 when not shared). */
  setElsewhere(subscriptions: number): void {
    this.#elsewhere = Number.isFinite(subscriptions) && subscriptions > 0 ? subscriptions : 0;
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
   * The instance to place a new room (or a cascade) on: the up instance with the lowest load (subscriptions, every
   * node's when shared), then the fewest rooms of this node, then the first configured.
   * @param except instances not to pick (those a room already uses)
   * @returns null when no other instance is up
   */
  leastLoaded(except: ReadonlySet<JanusInstance> = new Set()): JanusInstance | null {
    let best: JanusInstance | null = null;
    for (const instance of this.instances) {
      if (!instance.up || except.has(instance)) continue;
      if (!best || instance.load < best.load || (instance.load === best.load && instance.rooms < best.rooms)) best = instance;
    }
    return best;
  }

  /** This node's subscriptions per shared (external) instance, by URL: what it tells the other nodes. */
  localLoads(): Record<string, number> {
    const loads: Record<string, number> = {};
    for (const instance of this.instances) if (instance.url) loads[instance.url] = instance.viewers;
    return loads;
  }

  /** The other nodes' subscriptions per instance URL (instances not named count 0). */
  setElsewhere(byUrl: Readonly<Record<string, number>>): void {
    for (const instance of this.instances) if (instance.url) instance.setElsewhere(byUrl[instance.url] ?? 0);
  }

  /** Close every instance's connection. */
  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.client.connection.close()));
  }
}
