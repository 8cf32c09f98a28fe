/**
 * How Janus's settings are written as text (environment variables, or `npm run janus-config` flags) and checked: zod
 * schemas shared by server/config.ts (`JANUS_*`) and scripts/janus-config.ts, so both refuse the same input.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** A comma list of non-empty entries, trimmed (`JANUS_URLS`, `JANUS_INTERFACE`, `JANUS_NAT_1_1`). */
export const commaList = (entry: z.ZodString, max: number) =>
  z
    .string()
    .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(entry).min(1).max(max));

/** `JANUS_API_SECRET`, `JANUS_ADMIN_KEY`: Janus's `api_secret` and VideoRoom `admin_key`, 16–512 characters. */
export const janusSecret = z.string().min(16, 'use at least 16 characters').max(512);

/** `JANUS_RTP_PORT_RANGE`: `min-max` (UDP ports for ICE/RTP), both 1024–65535, min ≤ max. */
export const janusPortRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'use min-max, e.g. 20000-40000')
  .transform((s) => {
    const [min, max] = s.split('-').map(Number) as [number, number];
    return { min, max };
  })
  .refine((r) => r.min >= 1024 && r.max <= 65535 && r.min <= r.max, 'ports 1024-65535, min <= max');

/** `JANUS_INTERFACE`: Janus's `ice_enforce_list`, interface names or address prefixes (at most 16). */
export const janusInterfaces = commaList(z.string().max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'an interface name or address prefix'), 16);

/** `JANUS_NAT_1_1`: Janus's `nat_1_1_mapping`, the public IP addresses of a 1:1 NAT (at most 8). */
export const janusNat11 = commaList(z.string().refine((a) => isIP(a) !== 0, 'each entry is an IP address'), 8);
