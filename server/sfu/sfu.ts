/**
 * Starting the SFU the configuration asks for (`SFU=auto|janus|off`):
 * - `off`: none; rooms stay peer to peer.
 * - external Janus instances (`JANUS_URL`, or several in `JANUS_URLS`, + secret + admin key): connect to each (and
 *   keep reconnecting); rooms are placed on the least loaded one that is up.
 * - otherwise a managed Janus, when Debian's `janus` package (its VideoRoom plugin and WebSocket transport) is
 *   installed; with `auto` and none installed, mesh only, said once in the log with how to enable it.
 *
 * The returned {@link Sfu} is what the server holds: the pool of Janus instances (each with its client for VideoRoom
 * operations), and `close()` for its shutdown (closes the connections, then stops a managed Janus).
 */
import type { Logger } from 'pino';
import type { SfuConfig } from '../config.ts';
import { findJanusLibFolder } from './janus-config.ts';
import { JanusClient } from './janus-client.ts';
import { JanusConnection, withTimeout } from './janus-connection.ts';
import { JanusInstance, JanusPool } from './janus-pool.ts';
import { startManagedJanus, type ManagedJanus } from './managed-janus.ts';

/** A running SFU. */
export interface Sfu {
  /** The Janus instances rooms are placed on (one when managed). */
  readonly pool: JanusPool;
  /** The managed Janus, or null for an external one. */
  readonly managed: ManagedJanus | null;
  /** Close the connection and stop a managed Janus. Idempotent. */
  close(): Promise<void>;
}

export interface StartSfuOptions {
  /** Tests only: give a managed Janus an Admin API on loopback (to count handles). */
  adminApi?: boolean;
  /** How long to wait for a managed Janus's first session, ms (default 15,000). */
  firstSessionTimeoutMs?: number;
  /** Tests only: a managed Janus's restart back-off (see `ManagedJanusOptions.restartDelayMs`). */
  restartDelayMs?: { first: number; max: number; jitter?: boolean };
}

/**
 * Start the configured SFU.
 *
 * @returns the SFU, or null when rooms stay peer to peer (`off`, or `auto` without Janus)
 * @throws Error with `SFU=janus` when no Janus can be used (not installed, fails to start); with `auto` that is
 *         logged and null returned
 */
export async function startSfu(config: SfuConfig, log: Logger, options: StartSfuOptions = {}): Promise<Sfu | null> {
  const sfuLog = log.child({ component: 'sfu' });
  if (config.mode === 'off') {
    sfuLog.info('SFU off (SFU=off): rooms stay peer to peer');
    return null;
  }
  if (config.external) {
    const { urls, apiSecret, adminKey } = config.external;
    const pool = new JanusPool(
      urls.map((url, i) => {
        const name = `janus-${i + 1}`;
        const instanceLog = urls.length > 1 ? sfuLog.child({ janus: name }) : sfuLog;
        const connection = new JanusConnection({ target: () => ({ url, apiSecret, adminKey }), log: instanceLog });
        connection.start();
        return new JanusInstance(name, new JanusClient(connection, instanceLog), new URL(url).hostname.replace(/^\[|\]$/g, ''), url);
      }),
    );
    sfuLog.info({ urls }, urls.length > 1 ? `using ${urls.length} external Janus instances` : 'using an external Janus');
    return { pool, managed: null, close: () => pool.close() };
  }
  if (!findJanusLibFolder()) {
    const hint = 'install Janus (Debian: apt-get install janus) or set JANUS_URL';
    if (config.mode === 'janus') throw new Error(`SFU=janus but Janus is not installed: ${hint}`);
    sfuLog.info(`no SFU: rooms stay peer to peer; to let rooms grow past MESH_MAX_VIEWERS, ${hint}`);
    return null;
  }
  let managed: ManagedJanus | null = null;
  let connection: JanusConnection | null = null;
  try {
    managed = await startManagedJanus({
      log: sfuLog.child({ janus: 'managed' }),
      managed: config.managed,
      adminApi: options.adminApi === true,
      ...(options.restartDelayMs ? { restartDelayMs: options.restartDelayMs } : {}),
    });
    const running = managed;
    connection = new JanusConnection({ target: () => running.target(), log: sfuLog });
    connection.start();
    await withTimeout(connection.whenUp(), options.firstSessionTimeoutMs ?? 15_000, 'first Janus session');
  } catch (err) {
    await connection?.close();
    await managed?.stop();
    if (config.mode === 'janus') throw err;
    sfuLog.error({ err }, 'managed Janus failed to start: rooms stay peer to peer');
    return null;
  }
  const conn = connection;
  const janus = managed;
  let closing: Promise<void> | null = null;
  return {
    pool: new JanusPool([new JanusInstance('janus-1', new JanusClient(conn, sfuLog), '127.0.0.1')]),
    managed: janus,
    close: () =>
      (closing ??= (async () => {
        await conn.close();
        await janus.stop();
      })()),
  };
}
