/** Finding a TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free when this resolved: for a server to start on, or to find nothing listening. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
