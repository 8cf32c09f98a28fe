/**
 * The real Janus for tests: a managed Janus (OnAir's own config) gathering ICE on the test namespace's veth
 * `onair0` (10.77.0.1, made by scripts/test.sh; Janus never gathers on loopback), with the Admin API open on
 * loopback so tests can count handles; a connection and a client over it; logs captured as JSON lines.
 */
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import Janode from 'janode';
import { pino, type Logger } from 'pino';
import { JanusClient } from '../../server/sfu/janus-client.ts';
import { JanusConnection } from '../../server/sfu/janus-connection.ts';
import { startManagedJanus, type ManagedJanus } from '../../server/sfu/managed-janus.ts';

/** The namespace's veth and its address (see scripts/test.sh). */
export const SFU_INTERFACE = 'onair0';
export const SFU_ADDRESS = '10.77.0.1';

/** Why the SFU tests cannot run here (no veth in this namespace), or null when they can. */
export function sfuSkipReason(): string | null {
  const addresses = networkInterfaces()[SFU_INTERFACE] ?? [];
  return addresses.some((a) => a.address === SFU_ADDRESS) ? null : `no ${SFU_INTERFACE} (${SFU_ADDRESS}): run through npm test (scripts/test.sh)`;
}

/** A pino logger at debug whose JSON lines are kept in `lines`. */
export function capturedLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export interface TestJanus {
  janus: ManagedJanus;
  connection: JanusConnection;
  client: JanusClient;
  lines: string[];
  /** Janus's own count of the handles in the client's current session (Admin API `list_handles`). */
  handleCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Janus's own count of the handles in `connection`'s current session (Admin API `list_handles`; `adminApi` on). */
export async function handleCount(janus: ManagedJanus, connection: JanusConnection): Promise<number> {
  const admin = janus.adminApi();
  const sessionId = connection.sessionId;
  if (!admin || sessionId === null) throw new Error('no Admin API, or not connected');
  const conn = await Janode.connect({ address: { url: admin.url, apisecret: admin.secret }, is_admin: true, max_retries: 0 });
  try {
    return (await conn.listHandles(sessionId)).handles.length;
  } finally {
    await conn.close();
  }
}

/** Start a managed Janus on the veth, connect to it, and resolve once the first session is up. */
export async function startTestJanus(): Promise<TestJanus> {
  const { log, lines } = capturedLogger();
  const janus = await startManagedJanus({
    log,
    managed: { rtpPortRange: null, iceInterfaces: [SFU_INTERFACE], nat11: [] },
    adminApi: true,
    restartDelayMs: { first: 50, max: 500 },
  });
  const connection = new JanusConnection({ target: () => janus.target(), log });
  connection.start();
  await connection.whenUp();
  const client = new JanusClient(connection, log);
  return {
    janus,
    connection,
    client,
    lines,
    handleCount: () => handleCount(janus, connection),
    async stop() {
      await connection.close();
      await janus.stop();
    },
  };
}
