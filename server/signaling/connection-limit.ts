/**
 * A cap on open WebSocket connections per client IP address (`MAX_CONNECTIONS_PER_IP`), so one host cannot exhaust
 * the server's sockets and memory. Behind a reverse proxy every client has the proxy's address: raise the cap there.
 */
export class ConnectionLimit {
  private readonly open = new Map<string, number>();

  /** @param max connections allowed at once from one address */
  constructor(private readonly max: number) {}

  /**
   * Count a new connection from `address`.
   *
   * @returns a function to call once when it closes, or null (nothing counted) when the address is at the cap
   */
  acquire(address: string): (() => void) | null {
    const count = this.open.get(address) ?? 0;
    if (count >= this.max) return null;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left === 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }

  /** Open connections from `address`. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
