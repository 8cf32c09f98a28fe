/**
 * Starting the SFU the configuration asks for (`SFU=auto|janus|off`):
 * - `off`: none; rooms stay peer to peer.
 * - an external Janus (`JANUS_URL` + secret + admin key): connect to it (and keep reconnecting).
 * - otherwise a managed Janus, when Debian's `janus` package (its VideoRoom plugin and WebSocket transport) is
 *   installed; with `auto` and none installed, mesh only, said once in the log with how to enable it.
 *
 * The returned {@link Sfu} is what the server holds: the client for VideoRoom operations, and `close()` for its
 * shutdown (closes the connection, then stops a managed Janus).
 */
import type { Logger } from 'pino';
import type { SfuConfig } from '../config.ts';
import { findJanusLibFolder } from './janus-config.ts';
import { JanusClient } from './janus-client.ts';
import { JanusConnection, withTimeout } from './janus-connection.ts';
import { startManagedJanus, type ManagedJanus } from './managed-janus.ts';

/** A running SFU. */
export interface Sfu {
  readonly client: JanusClient;
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
    const external = config.external;
    const connection = new JanusConnection({ target: () => external, log: sfuLog });
    connection.start();
    sfuLog.info({ url: external.url }, 'using an external Janus');
    return { client: new JanusClient(connection, sfuLog), managed: null, close: () => connection.close() };
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
    client: new JanusClient(conn, sfuLog),
    managed: janus,
    close: () =>
      (closing ??= (async () => {
        await conn.close();
        await janus.stop();
      })()),
  };
}
