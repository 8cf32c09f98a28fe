/**
 * Builds the OnAir app: the pages (static files built by `npm run build`, see `pages.ts`), the `/ws` signalling relay. Building
 * does not listen; `server/index.ts` does, and tests build their own app and listen on port 0.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { loggerOptions } from './logger.ts';
import { registerHealth } from './ops/health.ts';
import { Metrics } from './ops/metrics.ts';
import { opsRoutes } from './ops/routes.ts';
import { CLOSE } from '../protocol/errors.ts';
import { pages } from './pages.ts';
import { loadResumeKey } from './auth/resume-key.ts';
import { RESUME_GRACE_MS, RESUME_TTL_S } from './auth/resume-token.ts';
import type { Bus } from './bus/bus.ts';
import { LocalBus } from './bus/local-bus.ts';
import { EscalatingMediaPath } from './media/escalating.ts';
import type { MediaPath } from './media/media-path.ts';
import { Cluster, HEARTBEAT_MS } from './cluster/cluster.ts';
import { ClusterMediaPath } from './cluster/cluster-media.ts';
import { shareJanusLoads } from './cluster/janus-loads.ts';
import { ClusterLocalSide } from './cluster/local-side.ts';
import { RedisBus } from './cluster/redis-bus.ts';
import { MeshMediaPath } from './media/mesh.ts';
import { startSfu, type Sfu, type StartSfuOptions } from './sfu/sfu.ts';
import { relayHandlers } from './relay-handlers.ts';
import { whipRoutes } from './whip/routes.ts';
import { securityHeaders } from './security-headers.ts';
import type { RateLimits } from './signaling/rate-limit.ts';
import type { Relay } from './signaling/relay.ts';
import { relayRoute } from './signaling/route.ts';
import { Rooms } from './signaling/rooms.ts';
import { ViewerCounts } from './signaling/viewer-count.ts';

/** Where `npm run build` writes the pages. */
export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'public');

/** The largest WebSocket frame accepted, in bytes; a larger one closes that socket with 1009 (RFC 6455 §7.4.1). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * The most frames one message may come in, and the most unparsed TCP chunks `ws` keeps for one socket: more close
 * that socket with 1008 (a fragment flood). Browsers send each message as one frame.
 */
export const MAX_FRAGMENTS = 64;
export const MAX_BUFFERED_CHUNKS = 4096;

export interface BuildOptions {
  /** Fastify logger options or instance; default from the config (pino, pretty on a TTY). */
  logger?: FastifyServerOptions['logger'];
  /** Time a connection has to send `join`, in ms (default 10 000). */
  joinTimeoutMs?: number;
  /** Time between heartbeat pings, in ms (default 15 000). */
  heartbeatIntervalMs?: number;
  /** Per-connection message rates (default: the config's `messageRate`, per connection and per watcher). */
  rateLimits?: RateLimits;
  /** Send-buffer bytes above which a client that does not read is dropped (default `MAX_BUFFERED_BYTES`, 1 MiB). */
  maxBufferedBytes?: number;
  /** How the SFU is started (tests: the Admin API, to count Janus's handles). */
  sfu?: StartSfuOptions;
  /** Lifetime of resume tokens, s (default `RESUME_TTL_S`, 60). */
  resumeTtlS?: number;
  /** How long a peer whose connection was lost stays in its room, awaiting its resume, ms (default `RESUME_GRACE_MS`). */
  resumeGraceMs?: number;
  /** With `REDIS_URL`: the cluster's heartbeat and entry TTL, ms (defaults in `server/cluster/cluster.ts`). */
  cluster?: { heartbeatMs?: number; ttlMs?: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The SFU rooms escalate to (`SFU=…`), or null when rooms stay peer to peer. Closed with the app. */
    sfu: Sfu | null;
  }
}

/**
 * Build the app.
 *
 * @param config the configuration from `loadConfig()`
 * @throws Error when the pages have not been built (`npm run build`)
 */
export async function buildServer(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  if (!existsSync(join(PUBLIC_DIR, 'watch.html'))) {
    throw new Error(`The pages are not built (${PUBLIC_DIR} is missing): run "npm run build".`);
  }
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config),
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
    // On close, destroy every HTTP connection, not only idle keep-alive ones: a browser's pre-opened connection that
    // never sent a request would otherwise hold the shutdown open (WebSockets get their 1001 in preClose).
    forceCloseConnections: true,
    // Behind a reverse proxy (nginx, several nodes): `req.ip` is the client's, from X-Forwarded-For.
    ...(config.trustProxy ? { trustProxy: [...config.trustProxy] } : {}),
  });
  // The SFU first: with SFU=janus a Janus that cannot start fails the build, before anything listens.
  const sfu = await startSfu(config.sfu, app.log as unknown as Logger, opts.sfu);
  app.decorate('sfu', sfu);
  app.addHook('onClose', async () => sfu?.close());
  // Where peers live (this process, or a cluster of nodes sharing Redis) and how media flows (the mesh, escalating
  // to the SFU when there is one).
  const resumeGraceMs = opts.resumeGraceMs ?? RESUME_GRACE_MS;
  const cluster = config.redisUrl ? new Cluster(config.redisUrl, app.log, { resumeGraceMs, ...opts.cluster }) : null;
  const rooms = new Rooms(config.maxViewers, cluster, config.broadcasterTakeover === 'takeover');
  const metrics = new Metrics(rooms, () => app.websocketServer?.clients.size ?? 0, cluster ? () => cluster.rooms() : undefined);
  const redisBus = cluster ? new RedisBus(rooms, cluster) : null;
  const bus: Bus = redisBus ?? new LocalBus(rooms);
  const escalating = sfu
    ? new EscalatingMediaPath({ bus, pool: sfu.pool, meshMaxViewers: config.meshMaxViewers, instanceMaxViewers: config.sfu.instanceMaxViewers, log: app.log.child({ component: 'media' }) })
    : null;
  // In a cluster, a room's media belongs to its broadcaster's node: the others forward their watchers' media events.
  const clusterMedia =
    cluster && escalating
      ? new ClusterMediaPath(
          escalating,
          {
            broadcasterNode: (room) => (rooms.get(room)?.broadcaster ? null : (cluster.mirror(room)?.broadcaster?.node ?? null)),
            toNode: (node, room, event) => cluster.mediaToNode(node, room, event),
            ownedRoom: (name) => {
              const room = rooms.get(name);
              return room?.broadcaster ? room : null;
            },
          },
          bus,
        )
      : null;
  const media: MediaPath = clusterMedia ?? escalating ?? new MeshMediaPath(bus);
  metrics.trackMedia(rooms, media, () => sfu?.pool.state ?? 'off');
  if (sfu) metrics.trackSfuInstances(sfu.pool.instances);
  const relay: Relay = {
    config,
    rooms,
    bus,
    media,
    // Each node tells its own peers the room's viewer count (the cluster's, read from its mirror).
    viewerCounts: new ViewerCounts(redisBus?.local ?? bus, (room) => rooms.get(room)?.watcherCount),
    handlers: relayHandlers(),
    counters: metrics,
    resume: { key: loadResumeKey(config), ttlS: opts.resumeTtlS ?? RESUME_TTL_S, graceMs: resumeGraceMs },
  };
  if (cluster && redisBus) {
    cluster.attach(new ClusterLocalSide(relay, redisBus, clusterMedia && ((room, event) => clusterMedia.apply(room, event))));
    if (sfu?.pool.instances.some((i) => i.url)) {
      const stop = shareJanusLoads(cluster, sfu.pool, opts.cluster?.heartbeatMs ?? HEARTBEAT_MS);
      app.addHook('onClose', async () => stop());
    }
    app.addHook('onClose', async () => cluster.close());
  }
  await registerHealth(app, config);
  await securityHeaders(app);

  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: MAX_PAYLOAD_BYTES,
      maxFragments: MAX_FRAGMENTS,
      maxBufferedChunks: MAX_BUFFERED_CHUNKS,
      perMessageDeflate: false,
    },
    // The plugin's default (log, terminate), but what a peer has corked this tick (see `Peer.sendRaw`) is written
    // first: a close frame for a bad frame, and the replies to the good frames before it, are not dropped.
    errorHandler(error, socket, request) {
      request.log.error(error);
      request.socket.uncork();
      socket.terminate();
    },
    // On close, tell every client "going away" (1001) so its page reconnects, instead of ws's bare close.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(CLOSE.goingAway, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });
  await app.register(relayRoute, {
    relay,
    config,
    joinTimeoutMs: opts.joinTimeoutMs ?? 10_000,
    heartbeatIntervalMs: opts.heartbeatIntervalMs,
    rateLimits: opts.rateLimits ?? { perConnection: config.messageRate, perWatcher: config.messageRate },
    maxBufferedBytes: opts.maxBufferedBytes,
  });

  // WHIP ingest (encoders such as OBS) publishes through the SFU only.
  await app.register(whipRoutes, {
    relay,
    config,
    escalate: escalating && ((room, options) => escalating.escalateNow(room, options)),
    sfuUp: () => sfu?.pool.anyUp === true,
  });
  await pages(app, { root: PUBLIC_DIR, config });
  await app.register(opsRoutes, { config, rooms, metrics, media, sfu, cluster });
  return app;
}
