/**
 * Starting a real OnAir server for a test: built with `buildServer`, listening on 127.0.0.1 port 0, no STUN
 * (Google's STUN is unreachable here and tests stay on loopback), logs silent unless `logger` is given.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildOptions } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

/** The resume key test servers share (so a token survives a restart, or works on another node). */
export const TEST_RESUME_SECRET = 'test-resume-secret-0123456789abcdef';

export interface TestServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  /** `ws://127.0.0.1:<port>/ws` */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * @param env  configuration variables on top of the test defaults (`PORT=0`, `HOST=127.0.0.1`, `STUN_URLS=none`,
 *             `SFU=off`: the SFU tests turn it on; `RESUME_SECRET` = {@link TEST_RESUME_SECRET});
 *             give `PORT` to start a server again where an earlier one was
 * @param opts build options (logger, join timeout)
 */
export async function startServer(env: Record<string, string> = {}, opts: BuildOptions = {}): Promise<TestServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', STUN_URLS: 'none', LOG_LEVEL: 'silent', SFU: 'off', RESUME_SECRET: TEST_RESUME_SECRET, ...env }, null);
  const app = await buildServer(config, { logger: false, ...opts });
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const httpUrl = `http://127.0.0.1:${address.port}`;
  return { app, httpUrl, wsUrl: `ws://127.0.0.1:${address.port}/ws`, close: () => app.close() };
}
