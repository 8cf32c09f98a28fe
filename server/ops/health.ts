/**
 * Liveness and readiness, the Kubernetes way: `GET /healthz` answers 200 while the process runs; `GET /readyz`
 * answers 200 when the server accepts new work and 503 (with `Retry-After`) while it is shutting down (draining) or
 * overloaded: event loop delay over `MAX_EVENT_LOOP_DELAY_MS` (`@fastify/under-pressure`, which then also answers
 * 503 to every new request, WebSocket upgrades included, except `/healthz` and `/metrics`).
 */
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/** Route config that lets a route through even under pressure (liveness and metrics must still answer). */
export const EXEMPT_FROM_PRESSURE = { pressureHandler: () => undefined } as const;

declare module 'fastify' {
  interface FastifyInstance {
    /** Start answering 503 on `/readyz` (called on SIGTERM before closing, and by `close()` itself). */
    drain(): void;
  }
}

/**
 * Register `/healthz`, `/readyz` and the overload check on the root instance (so that it applies to every route).
 */
export async function registerHealth(app: FastifyInstance, config: Pick<Config, 'maxEventLoopDelayMs'>): Promise<void> {
  let draining = false;
  app.decorate('drain', () => {
    draining = true;
  });
  app.addHook('preClose', async () => {
    draining = true;
  });
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    retryAfter: 5,
    exposeStatusRoute: { url: '/readyz', routeOpts: { logLevel: 'warn' } },
    healthCheck: async () => !draining,
  });
  app.get('/healthz', { logLevel: 'warn', config: EXEMPT_FROM_PRESSURE }, async () => ({ status: 'ok' }));
}
