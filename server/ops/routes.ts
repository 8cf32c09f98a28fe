/**
 * The operator endpoints, behind `METRICS_ALLOW` (see `access.ts`): `GET /metrics` (Prometheus text format),
 * `GET /api/rooms` (JSON: the live rooms and their audiences) and `GET /status` (a small page that shows
 * `/api/rooms`). A client not allowed gets 403; with `METRICS_ALLOW=off` the endpoints answer 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Room } from '../signaling/room.ts';
import type { Rooms } from '../signaling/rooms.ts';
import { operatorAccess } from './access.ts';
import { EXEMPT_FROM_PRESSURE } from './health.ts';
import type { Metrics } from './metrics.ts';

export interface OpsOptions {
  config: Pick<Config, 'metricsAllow'>;
  rooms: Rooms;
  metrics: Metrics;
}

/** The most rooms `/api/rooms` lists (largest audiences first); `totals` still counts them all. */
export const MAX_LISTED_ROOMS = 1000;

/** One room as `/api/rooms` shows it. */
export interface RoomSummary {
  name: string;
  /** The broadcaster has announced its media. */
  live: boolean;
  broadcaster: boolean;
  watchers: number;
  chatEnabled: boolean;
  /** From the broadcaster's latest stats report: connected watchers, total kbit/s, mean fps; null before one. */
  delivered: { connected: number; bitrateKbps: number; fps: number; reportedAt: string } | null;
}

function summary(room: Room): RoomSummary {
  const d = room.delivered;
  return {
    name: room.name,
    live: room.live,
    broadcaster: room.broadcaster !== null,
    watchers: room.watchers.size,
    chatEnabled: room.chat.enabled,
    delivered: d && { connected: d.connected, bitrateKbps: Math.round(d.bitrateKbps), fps: Math.round(d.fps * 10) / 10, reportedAt: new Date(d.at).toISOString() },
  };
}

/** The body of `GET /api/rooms`. */
export function roomsReport(rooms: Rooms): { totals: { rooms: number; live: number; watchers: number }; rooms: RoomSummary[] } {
  const all = [...rooms.all()];
  const listed = all.sort((a, b) => b.watchers.size - a.watchers.size || a.name.localeCompare(b.name)).slice(0, MAX_LISTED_ROOMS);
  return {
    totals: { rooms: all.length, live: all.filter((r) => r.live).length, watchers: all.reduce((n, r) => n + r.watchers.size, 0) },
    rooms: listed.map(summary),
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
  app.get('/api/rooms', async () => roomsReport(opts.rooms));
  app.get('/status', (_req, reply) => reply.sendFile('status.html'));
}
