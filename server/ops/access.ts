/**
 * Who may read the operator endpoints (`/metrics`, `/api/rooms`, `/status`), from `METRICS_ALLOW`: nobody (`off`:
 * the endpoints answer 404), everybody (`all`), or clients whose address is in a list of addresses and CIDR blocks
 * (`loopback` stands for 127.0.0.0/8 and ::1). IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) count as IPv4.
 */
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';

/** What to do with a request to an operator endpoint. */
export type Access = 'allow' | 'forbid' | 'hidden';

/** Build the check from `METRICS_ALLOW` (already validated by the config). */
export function operatorAccess(config: Pick<Config, 'metricsAllow'>): (ip: string) => Access {
  const list = config.metricsAllow;
  if (list.includes('off')) return () => 'hidden';
  if (list.includes('all')) return () => 'allow';
  const allowed = new BlockList();
  for (const entry of list) {
    if (entry === 'loopback') {
      allowed.addSubnet('127.0.0.0', 8, 'ipv4');
      allowed.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowed.addAddress(address, family);
    else allowed.addSubnet(address, Number(prefix), family);
  }
  return (ip) => {
    const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(v4);
    if (family === 0) return 'forbid';
    return allowed.check(v4, family === 6 ? 'ipv6' : 'ipv4') ? 'allow' : 'forbid';
  };
}
