/**
 * The operator endpoints, behind `METRICS_ALLOW` (see `access.ts`): `GET /metrics` (Prometheus text format),
 * `GET /api/rooms` (JSON: the live rooms and their audiences) and `GET /status` (a small page that shows
 * `/api/rooms`). A client not allowed gets 403; with `METRICS_ALLOW=off` the endpoints answer 404.
 */
import type { FastifyInstance } from 'fastify';
import type { RoomSummary, RoomsReport, SfuHealth } from '../../protocol/rooms-report.ts';
import type { Cluster, ClusterRoom } from '../cluster/cluster.ts';
import type { Config } from '../config.ts';
import type { MediaPath } from '../media/media-path.ts';
import type { Sfu } from '../sfu/sfu.ts';
import type { RoomSnapshot } from '../signaling/room.ts';
import type { Rooms } from '../signaling/rooms.ts';
import { operatorAccess } from './access.ts';
import { EXEMPT_FROM_PRESSURE } from './health.ts';
import type { Metrics } from './metrics.ts';
import { byAudience } from './room-order.ts';

export interface OpsOptions {
  config: Pick<Config, 'metricsAllow'>;
  rooms: Rooms;
  metrics: Metrics;
  media: MediaPath;
  sfu: Sfu | null;
  /** With `REDIS_URL`: `/api/rooms` shows the cluster's rooms. */
  cluster?: Cluster | null;
}

/** The most rooms `/api/rooms` lists (largest audiences first); `totals` still counts them all. */
export const MAX_LISTED_ROOMS = 1000;

function summary(room: RoomSnapshot, media: MediaPath): RoomSummary {
  const d = room.delivered;
  const { path, viewers } = media.report(room.name, room.watchers);
  return {
    name: room.name,
    live: room.live,
    broadcaster: room.hasBroadcaster,
    watchers: room.watchers,
    chatEnabled: room.chatEnabled,
    path,
    viewersByPath: viewers,
    delivered: d && { connected: d.connected, bitrateKbps: Math.round(d.bitrateKbps), fps: Math.round(d.fps * 10) / 10, reportedAt: new Date(d.at).toISOString() },
  };
}

/** The body of `GET /api/rooms` (its schema is `RoomsReport` in `protocol/rooms-report.ts`). */
export function roomsReport(rooms: Rooms, media: MediaPath, sfu: Sfu | null): RoomsReport {
  const all = rooms.snapshots();
  return {
    sfu: sfuHealth(sfu),
    totals: { rooms: all.length, live: all.filter((r) => r.live).length, watchers: all.reduce((n, r) => n + r.watchers, 0) },
    rooms: byAudience(all).slice(0, MAX_LISTED_ROOMS).map((room) => summary(room, media)),
  };
}

/** The SFU's health: `off` (none configured or installed), else its connection's state. */
export function sfuHealth(sfu: Sfu | null): SfuHealth {
  return sfu ? sfu.pool.state : 'off';
}

/**
 * The body of `GET /api/rooms` on a node of a cluster: the cluster's rooms as Redis holds them, with this node's
 * chat state and delivery report where it holds the room; only this node's rooms while Redis is unreachable.
 */
export async function clusterRoomsReport(rooms: Rooms, media: MediaPath, sfu: Sfu | null, cluster: Cluster): Promise<RoomsReport> {
  let all: ClusterRoom[];
  try {
    all = await cluster.rooms();
  } catch {
    return { ...roomsReport(rooms, media, sfu), cluster: { node: cluster.node, nodes: 1, redis: 'down' } };
  }
  const local = new Map(rooms.snapshots().map((r) => [r.name, r]));
  const summaries = all.map((room): RoomSnapshot & { nodes: number } => {
    const here = local.get(room.name);
    return {
      name: room.name,
      live: room.live,
      hasBroadcaster: room.broadcaster !== null,
      watchers: room.watchers,
      watchersElsewhere: 0,
      chatEnabled: here?.chatEnabled ?? true,
      delivered: here?.delivered ?? null,
      nodes: Object.keys(room.nodes).length,
    };
  });
  const nodes = new Set(all.flatMap((room) => Object.keys(room.nodes)));
  return {
    sfu: sfuHealth(sfu),
    totals: { rooms: all.length, live: all.filter((r) => r.live).length, watchers: all.reduce((n, r) => n + r.watchers, 0) },
    rooms: byAudience(summaries).slice(0, MAX_LISTED_ROOMS).map((r) => ({ ...summary(r, media), nodes: r.nodes })),
    cluster: { node: cluster.node, nodes: nodes.size, redis: 'up' },
  };
}

/** Register the operator endpoints (an encapsulated plugin: the access check applies to these routes only). */
export async function opsRoutes(app: FastifyInstance, opts: OpsOptions): Promise<void> {
  const access = operatorAccess(opts.config);
  app.addHook('onRequest', async (req, reply) => {
    const verdict = access(req.ip);
    if (verdict === 'hidden') return reply.code(404).send({ error: 'Not Found', message: 'Operator endpoints are off (METRICS_ALLOW=off).' });
    if (verdict === 'forbid') {
      req.log.info({ ip: req.ip, url: req.url }, 'operator endpoint refused (METRICS_ALLOW)');
      return reply.code(403).send({ error: 'Forbidden', message: 'Your address is not in METRICS_ALLOW.' });
    }
  });
  app.get('/metrics', { logLevel: 'warn', config: EXEMPT_FROM_PRESSURE }, async (_req, reply) => {
    const { text, contentType } = await opts.metrics.scrape();
    return reply.type(contentType).send(text);
  });
  const cluster = opts.cluster;
  app.get('/api/rooms', async () =>
    cluster ? clusterRoomsReport(opts.rooms, opts.media, opts.sfu, cluster) : roomsReport(opts.rooms, opts.media, opts.sfu),
  );
  app.get('/status', (_req, reply) => reply.sendFile('status.html'));
}
