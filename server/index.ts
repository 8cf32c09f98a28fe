/**
 * Entry point: read the configuration, build the app, listen, and shut down gracefully on SIGTERM/SIGINT.
 */
import closeWithGrace from 'close-with-grace';
import { buildServer } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildServer(config);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(`OnAir: broadcast at ${address}/ , watch at ${address}/watch`);
}

await main();
