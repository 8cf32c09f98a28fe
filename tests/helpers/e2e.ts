/**
 * The end-to-end harness: a real OnAir server on loopback port 0 and a headless Chromium, both closed when the test
 * file ends (Chromium first, so its pages leave before the server goes). Every test in `tests/e2e/` that needs only
 * these two starts them here.
 */
import type { Test } from 'tap';
import { launchChromium, type LaunchedChromium } from '../../scripts/lib/chromium.ts';
import type { BuildOptions } from '../../server/app.ts';
import { startServer, type TestServer } from './server.ts';

export interface E2e {
  server: TestServer;
  chromium: LaunchedChromium;
}

/**
 * Start the server and Chromium for test file `t`; both are closed by `t`'s teardown.
 *
 * @param env          configuration variables for the server (see `startServer`)
 * @param chromiumArgs extra Chromium flags (e.g. a fake camera file)
 * @param build        build options for the server (e.g. the SFU's Admin API, to count Janus's handles)
 */
export async function startE2e(t: Test, env: Record<string, string> = {}, chromiumArgs: string[] = [], build: BuildOptions = {}): Promise<E2e> {
  const server = await startServer(env, build);
  const chromium = await launchChromium(chromiumArgs);
  t.teardown(async () => {
    await chromium.close();
    await server.close();
  });
  return { server, chromium };
}
