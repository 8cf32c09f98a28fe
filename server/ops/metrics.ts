/**
 * The server's Prometheus metrics (`prom-client`, text exposition format 0.0.4), in a registry of its own per app so
 * that several apps in one process (the tests) do not mix. Room-labelled series are bounded: only the
 * {@link MAX_ROOM_LABELS} rooms with the most watchers get their own `room` label, the rest are summed under
 * `room="_other"`, so a flood of rooms cannot blow up the cardinality.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../../protocol/errors.ts';
import type { ClientMessageType } from '../../protocol/messages.ts';
import type { MediaPath } from '../media/media-path.ts';
import type { RoomSnapshot } from '../signaling/room.ts';
import type { Rooms } from '../signaling/rooms.ts';
import type { ClusterRoom } from '../cluster/cluster.ts';
import { byAudience } from './room-order.ts';

/** Rooms with their own `room` label; the others are summed as `room="_other"`. */
export const MAX_ROOM_LABELS = 20;
/** The `room` label of the rooms beyond {@link MAX_ROOM_LABELS}. */
export const OTHER_ROOMS = '_other';

/** Relay latency buckets, in seconds (50 µs to 100 ms: the relay does no I/O but one socket write). */
const LATENCY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

/** The rooms with the most watchers, at most {@link MAX_ROOM_LABELS}, then the rest (for `_other`). */
export function labelledRooms(rooms: Iterable<RoomSnapshot>): { named: RoomSnapshot[]; other: RoomSnapshot[] } {
  const sorted = byAudience(rooms);
  return { named: sorted.slice(0, MAX_ROOM_LABELS), other: sorted.slice(MAX_ROOM_LABELS) };
}

/** Set a per-room gauge from `value(room)`: one series per named room, the rest summed (or averaged) as `_other`. */
function setPerRoom(gauge: Gauge<'room'>, rooms: Iterable<RoomSnapshot>, value: (room: RoomSnapshot) => number | null, combine: 'sum' | 'mean'): void {
  gauge.reset();
  const { named, other } = labelledRooms(rooms);
  for (const room of named) {
    const v = value(room);
    if (v !== null) gauge.set({ room: room.name }, v);
  }
  const values = other.map(value).filter((v): v is number => v !== null);
  if (values.length) {
    const sum = values.reduce((a, b) => a + b, 0);
    gauge.set({ room: OTHER_ROOMS }, combine === 'sum' ? sum : sum / values.length);
  }
}

/**
 * The cluster's figures, read from Redis at each scrape: rooms (live or idle) and watchers on every node, and whether
 * Redis answered (while it does not, the room figures are left out).
 */
function clusterGauges(registers: Registry[], cluster: () => Promise<ClusterRoom[]>): void {
  let scraped: Promise<ClusterRoom[] | null> | null = null;
  // One Redis read per scrape, shared by the three gauges (each collects on its own).
  const read = () => (scraped ??= cluster().catch(() => null).finally(() => setImmediate(() => (scraped = null))));
  new Gauge({
    name: 'onair_cluster_redis_up',
    help: 'Whether this node reached the cluster\'s Redis at this scrape (1) or not (0).',
    registers,
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'onair_cluster_rooms',
    help: 'Rooms with someone in them on any node of the cluster, by state.',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      const all = await read();
      if (!all) return;
      const live = all.filter((r) => r.live).length;
      this.set({ state: 'live' }, live);
      this.set({ state: 'idle' }, all.length - live);
    },
  });
  new Gauge({
    name: 'onair_cluster_watchers',
    help: 'Watchers on every node of the cluster, all rooms.',
    registers,
    async collect() {
      this.reset();
      const all = await read();
      if (all) this.set(all.reduce((n, r) => n + r.watchers, 0));
    },
  });
}

export class Metrics {
  readonly registry = new Registry();
  private readonly relayedTotal: Counter<'type'>;
  private readonly relayLatency: Histogram;
  private readonly rejectedTotal: Counter<'code'>;
  private readonly turnIssuedTotal: Counter<'mode'>;

  /**
   * @param rooms       the relay's rooms (read when scraped)
   * @param socketCount the number of open WebSocket connections, joined or not
   * @param cluster     with several nodes: the cluster's rooms (read from Redis when scraped; rejects while it is down)
   */
  constructor(rooms: Rooms, socketCount: () => number, cluster?: () => Promise<ClusterRoom[]>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    if (cluster) clusterGauges(registers, cluster);
    new Gauge({
      name: 'onair_sockets',
      help: 'Open WebSocket connections by role (unjoined: connected, no join yet).',
      labelNames: ['role'],
      registers,
      collect() {
        let broadcasters = 0;
        let watchers = 0;
        for (const room of rooms.snapshots()) {
          if (room.hasBroadcaster) broadcasters++;
          watchers += room.watchers;
        }
        this.set({ role: 'broadcaster' }, broadcasters);
        this.set({ role: 'watcher' }, watchers);
        this.set({ role: 'unjoined' }, Math.max(0, socketCount() - broadcasters - watchers));
      },
    });
    new Gauge({
      name: 'onair_rooms',
      help: 'Rooms with someone in them, by whether their broadcaster is live.',
      labelNames: ['state'],
      registers,
      collect() {
        let live = 0;
        let total = 0;
        for (const room of rooms.snapshots()) {
          total++;
          if (room.live) live++;
        }
        this.set({ state: 'live' }, live);
        this.set({ state: 'idle' }, total - live);
      },
    });
    new Gauge({
      name: 'onair_room_watchers',
      help: `Watchers per room (the ${MAX_ROOM_LABELS} largest rooms; the rest summed as room="${OTHER_ROOMS}").`,
      labelNames: ['room'],
      registers,
      collect() {
        setPerRoom(this, rooms.snapshots(), (room) => room.watchers, 'sum');
      },
    });
    new Gauge({
      name: 'onair_room_cluster_watchers',
      help: `Watchers per room on every node of the cluster, for the rooms this node serves (equal to onair_room_watchers with one node).`,
      labelNames: ['room'],
      registers,
      collect() {
        setPerRoom(this, rooms.snapshots(), (room) => room.watchers + room.watchersElsewhere, 'sum');
      },
    });
    new Gauge({
      name: 'onair_room_delivered_bitrate_kbps',
      help: 'Video bitrate the broadcaster sends to its connected watchers, summed, kbit/s (from its getStats() reports).',
      labelNames: ['room'],
      registers,
      collect() {
        setPerRoom(this, rooms.snapshots(), (room) => room.delivered?.bitrateKbps ?? null, 'sum');
      },
    });
    new Gauge({
      name: 'onair_room_delivered_fps',
      help: 'Mean frame rate the broadcaster sends to its connected watchers, frames/s (from its getStats() reports).',
      labelNames: ['room'],
      registers,
      collect() {
        setPerRoom(this, rooms.snapshots(), (room) => room.delivered?.fps ?? null, 'mean');
      },
    });
    new Gauge({
      name: 'onair_delivered_connections',
      help: 'Watcher peer connections the broadcasters report as connected, by local ICE candidate type.',
      labelNames: ['candidate_type'],
      registers,
      collect() {
        const totals = { host: 0, srflx: 0, prflx: 0, relay: 0 };
        for (const room of rooms.snapshots()) {
          for (const [type, n] of Object.entries(room.delivered?.candidateTypes ?? {})) totals[type as keyof typeof totals] += n;
        }
        for (const [type, n] of Object.entries(totals)) this.set({ candidate_type: type }, n);
      },
    });
    this.relayedTotal = new Counter({ name: 'onair_messages_relayed_total', help: 'Messages delivered (or kept) by the relay, by type.', labelNames: ['type'], registers });
    this.relayLatency = new Histogram({
      name: 'onair_relay_latency_seconds',
      help: 'Time from a frame arriving to its delivery by the relay (parse, check, forward), seconds.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rejectedTotal = new Counter({ name: 'onair_messages_rejected_total', help: 'Errors sent to clients, by error code.', labelNames: ['code'], registers });
    this.turnIssuedTotal = new Counter({
      name: 'onair_turn_credentials_issued_total',
      help: 'TURN credentials handed out in joined messages (secret: minted per peer; static: the configured pair).',
      labelNames: ['mode'],
      registers,
    });
  }

  /**
   * Add the media gauges: `onair_sfu_up` (1 while the SFU is connected; 0 when down or off, with its `state`),
   * `onair_room_viewers_by_path` (per room and path, `mesh` or `sfu`; the largest rooms, the rest as `_other`), and
   * with an SFU `onair_sfu_watchers_by_layer` (per simulcast layer) and `onair_sfu_layer_switches_total` (down, up).
   *
   * @param rooms    the relay's rooms
   * @param media    the media path (its `report` per room)
   * @param sfuState the SFU's health: `off`, `connecting`, `up`, `down`, `closed`
   */
  trackMedia(rooms: Rooms, media: MediaPath, sfuState: () => string): void {
    const registers = [this.registry];
    new Gauge({
      name: 'onair_sfu_up',
      help: 'Whether the SFU (Janus) is connected: 1 up, 0 otherwise; state: off, connecting, up, down, closed.',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        const state = sfuState();
        this.set({ state }, state === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'onair_room_viewers_by_path',
      help: `Watchers per room and media path (mesh: peer to peer; sfu: through the media server), the ${MAX_ROOM_LABELS} largest rooms.`,
      labelNames: ['room', 'path'],
      registers,
      collect() {
        this.reset();
        const { named, other } = labelledRooms(rooms.snapshots());
        const add = (label: string, room: RoomSnapshot) => {
          const { viewers } = media.report(room.name, room.watchers);
          this.inc({ room: label, path: 'mesh' }, viewers.mesh);
          this.inc({ room: label, path: 'sfu' }, viewers.sfu);
        };
        for (const room of named) add(room.name, room);
        for (const room of other) add(OTHER_ROOMS, room);
      },
    });
    if (!media.layers) return;
    const layers = () => media.layers!();
    new Gauge({
      name: 'onair_sfu_watchers_by_layer',
      help: 'Watchers through the SFU by the simulcast layer they get (its height: 180p, 360p, 720p; unknown before their first report).',
      labelNames: ['layer'],
      registers,
      collect() {
        this.reset();
        for (const [layer, n] of layers().watchers) this.set({ layer }, n);
      },
    });
    new Counter({
      name: 'onair_sfu_layer_switches_total',
      help: "Switches of an SFU watcher's simulcast layer, down (to a lower layer or frame rate) or up.",
      labelNames: ['direction'],
      registers,
      collect() {
        this.reset();
        const { switches } = layers();
        this.inc({ direction: 'down' }, switches.down);
        this.inc({ direction: 'up' }, switches.up);
      },
    });
  }

  /**
   * Each Janus instance's connection and what this node placed on it: `onair_sfu_instance_up`,
   * `onair_sfu_instance_rooms` and `onair_sfu_instance_viewers`, labelled by its name (`janus-1`…, never its URL).
   */
  trackSfuInstances(instances: readonly { name: string; up: boolean; rooms: number; viewers: number }[]): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, value: (i: (typeof instances)[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['instance'],
        registers,
        collect() {
          this.reset();
          for (const instance of instances) this.set({ instance: instance.name }, value(instance));
        },
      });
    gauge('onair_sfu_instance_up', 'Whether this node is connected to the Janus instance: 1 up, 0 otherwise.', (i) => (i.up ? 1 : 0));
    gauge('onair_sfu_instance_rooms', 'Janus rooms this node holds on the instance (escalated rooms and cascades).', (i) => i.rooms);
    gauge('onair_sfu_instance_viewers', 'Subscriptions (watchers) this node placed on the instance.', (i) => i.viewers);
  }

  /** The relayed counter's child for each message type, bound once: `inc({type})` would hash the labels per message. */
  private readonly relayedByType = new Map<ClientMessageType, { inc(): void }>();

  /** A message of `type` was delivered, `seconds` after its frame arrived (on the relay's hot path: no allocation). */
  relayed(type: ClientMessageType, seconds: number): void {
    let counter = this.relayedByType.get(type);
    if (!counter) this.relayedByType.set(type, (counter = this.relayedTotal.labels(type)));
    counter.inc();
    this.relayLatency.observe(seconds);
  }

  /** An error with `code` was sent to a client. */
  rejected(code: ErrorCode): void {
    this.rejectedTotal.inc({ code });
  }

  /** TURN credentials went out in a `joined`. */
  turnCredentialsIssued(mode: 'static' | 'secret'): void {
    this.turnIssuedTotal.inc({ mode });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
