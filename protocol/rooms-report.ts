/**
 * The `/api/rooms` document: the rooms live on one server (or on a cluster of nodes) and their audiences. Built by the server
 * (`server/ops/routes.ts`) and read by the status page (`client/status/main.ts`), which checks what it fetched
 * against this schema instead of casting it.
 */
import * as z from 'zod/mini';
import { RoomName } from './messages.ts';

/** One room as `/api/rooms` shows it. */
export const RoomSummary = z.strictObject({
  name: RoomName,
  /** The broadcaster has announced its media. */
  live: z.boolean(),
  broadcaster: z.boolean(),
  watchers: z.int().check(z.minimum(0)),
  chatEnabled: z.boolean(),
  /** How its media flows: `mesh` (peer to peer from the broadcaster) or `sfu` (through the media server). */
  path: z.enum(['mesh', 'sfu']),
  /** Watchers served on each path. */
  viewersByPath: z.strictObject({ mesh: z.int().check(z.minimum(0)), sfu: z.int().check(z.minimum(0)) }),
  /** With several nodes: how many nodes hold peers of the room. */
  nodes: z.optional(z.int().check(z.minimum(1))),
  /** From the broadcaster's latest stats report: connected watchers, total kbit/s, mean fps; null before one. */
  delivered: z.nullable(
    z.strictObject({
      connected: z.int().check(z.minimum(0)),
      bitrateKbps: z.number().check(z.minimum(0)),
      fps: z.number().check(z.minimum(0)),
      /** When the report arrived (ISO 8601). */
      reportedAt: z.string(),
    }),
  ),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

/** The body of `GET /api/rooms`: totals over every room, and the largest rooms (at most `MAX_LISTED_ROOMS`). */
/** The SFU's state: `off` (rooms stay peer to peer), or its connection's: `connecting`, `up`, `down`, `closed`. */
export const SfuHealth = z.enum(['off', 'connecting', 'up', 'down', 'closed']);
export type SfuHealth = z.infer<typeof SfuHealth>;

export const RoomsReport = z.strictObject({
  sfu: SfuHealth,
  totals: z.strictObject({
    rooms: z.int().check(z.minimum(0)),
    live: z.int().check(z.minimum(0)),
    watchers: z.int().check(z.minimum(0)),
  }),
  rooms: z.array(RoomSummary),
  /**
   * With several nodes (`REDIS_URL`): the node that answered, the number of nodes holding peers, and whether the
   * rooms are the cluster's (`redis: "up"`) or, while Redis is unreachable, only this node's (`"down"`).
   */
  cluster: z.optional(
    z.strictObject({
      node: z.string(),
      nodes: z.int().check(z.minimum(0)),
      redis: z.enum(['up', 'down']),
    }),
  ),
});
export type RoomsReport = z.infer<typeof RoomsReport>;
