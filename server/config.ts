/**
 * OnAir's configuration, read once from the environment (and a `.env` file, which never overrides variables already
 * set) into a frozen, typed object. Nothing else in the server reads `process.env`. `.env.example` lists every
 * variable with its default.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { commaList, janusInterfaces, janusNat11, janusPortRange, janusSecret } from './janus-settings.ts';

const urlList = (schemes: RegExp) =>
  z
    .string()
    .transform((s) => (s.trim() === 'none' ? [] : s.split(',').map((u) => u.trim()).filter(Boolean)))
    // Bounded like the protocol's IceServer (16 URLs of at most 512 characters), so every `joined` stays valid.
    .pipe(z.array(z.string().max(512).regex(schemes, `each URL must start with ${schemes.source.replace(/[\^\\()]/g, '')}`)).max(16));

/** One METRICS_ALLOW entry: an IPv4/IPv6 address, optionally with a CIDR prefix length. */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** `METRICS_ALLOW`: `off`, `all`, `loopback`, or a comma list of addresses/CIDRs (`loopback` may be one of them). */
const metricsAllow = z
  .string()
  .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().refine((e) => ['off', 'all', 'loopback'].includes(e) || isAddressOrCidr(e), 'each entry: off, all, loopback, an IP address or a CIDR like 10.0.0.0/8'))
      .min(1)
      .max(64)
      .refine((list) => list.length === 1 || !list.some((e) => e === 'off' || e === 'all'), '"off" and "all" stand alone'),
  );

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    STUN_URLS: urlList(/^stuns?:/).default(['stun:stun.l.google.com:19302']),
    TURN_URLS: urlList(/^turns?:/).default([]),
    TURN_USERNAME: z.string().min(1).max(512).optional(),
    TURN_CREDENTIAL: z.string().min(1).max(512).optional(),
    TURN_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
    TURN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
    ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    BROADCAST_SECRET: z.string().min(32, 'use at least 32 characters (HS256 key)').optional(),
    WATCH_SECRET: z.string().min(32, 'use at least 32 characters (HS256 key)').optional(),
    BROADCASTER_TAKEOVER: z.enum(['refuse', 'takeover']).default('refuse'),
    ALLOWED_ORIGINS: z
      .string()
      .transform((s) => s.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
      .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'each entry is * or an origin like https://example.com')).max(64))
      .optional(),
    FRAME_ANCESTORS: z
      .string()
      .transform((s) => (s.trim() === 'none' ? [] : s.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)))
      .pipe(z.array(z.string().regex(/^(\*|self|https?:\/\/[^/\s'";,]+)$/, 'each entry is *, self or an origin like https://example.com')).max(64))
      .default([]),
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(100),
    MAX_VIEWERS: z.coerce.number().int().min(0).max(1_000_000).default(0),
    METRICS_ALLOW: metricsAllow.default(['loopback']),
    MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    MESSAGE_RATE_PER_S: z.coerce.number().positive().max(1e9).default(50),
    MESSAGE_BURST: z.coerce.number().int().min(1).max(1e9).default(200),
    SFU: z.enum(['auto', 'janus', 'off']).default('auto'),
    JANUS_URL: z.string().max(512).regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// URL').optional(),
    JANUS_URLS: commaList(z.string().max(512).regex(/^wss?:\/\/[^\s,/]+(\/[^\s,]*)?$/, 'each entry is a ws:// or wss:// URL'), 16).optional(),
    JANUS_MAX_VIEWERS: z.coerce.number().int().min(0).max(1_000_000).default(0),
    JANUS_API_SECRET: janusSecret.optional(),
    JANUS_ADMIN_KEY: janusSecret.optional(),
    MESH_MAX_VIEWERS: z.coerce.number().int().min(0).max(1_000_000).default(4),
    JANUS_RTP_PORT_RANGE: janusPortRange.optional(),
    JANUS_INTERFACE: janusInterfaces.optional(),
    JANUS_NAT_1_1: janusNat11.optional(),
    RESUME_SECRET: z.string().min(32, 'use at least 32 characters (HS256 key)').optional(),
    RESUME_SECRET_FILE: z.string().min(1).default('.onair-resume-secret'),
    TRUST_PROXY: z
      .string()
      .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine((e) => e === 'loopback' || isAddressOrCidr(e), 'each entry: loopback, an IP address or a CIDR like 10.0.0.0/8')).min(1).max(64))
      .optional(),
    REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'a URL like redis://127.0.0.1:6379 (or rediss:// for TLS)').optional(),
  })
  .superRefine((env, ctx) => {
    const staticCreds = env.TURN_USERNAME !== undefined || env.TURN_CREDENTIAL !== undefined;
    if (env.TURN_SECRET && staticCreds) {
      ctx.addIssue({ code: 'custom', path: ['TURN_SECRET'], message: 'set TURN_SECRET or TURN_USERNAME/TURN_CREDENTIAL, not both' });
    }
    if (staticCreds && !(env.TURN_USERNAME && env.TURN_CREDENTIAL)) {
      ctx.addIssue({ code: 'custom', path: ['TURN_CREDENTIAL'], message: 'TURN_USERNAME and TURN_CREDENTIAL go together' });
    }
    if (env.TURN_URLS.length > 0 && !env.TURN_SECRET && !staticCreds) {
      ctx.addIssue({ code: 'custom', path: ['TURN_URLS'], message: 'TURN needs TURN_SECRET or TURN_USERNAME/TURN_CREDENTIAL' });
    }
    if ((env.TURN_SECRET || staticCreds) && env.TURN_URLS.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['TURN_URLS'], message: 'TURN credentials are set but TURN_URLS is empty' });
    }
    if (env.JANUS_URL && env.JANUS_URLS) {
      ctx.addIssue({ code: 'custom', path: ['JANUS_URLS'], message: 'set JANUS_URL (one Janus) or JANUS_URLS (several), not both' });
    }
    const external = env.JANUS_URL ?? env.JANUS_URLS;
    if (external && !(env.JANUS_API_SECRET && env.JANUS_ADMIN_KEY)) {
      ctx.addIssue({ code: 'custom', path: [env.JANUS_URL ? 'JANUS_URL' : 'JANUS_URLS'], message: 'an external Janus needs JANUS_API_SECRET and JANUS_ADMIN_KEY' });
    }
    if (!external && (env.JANUS_API_SECRET || env.JANUS_ADMIN_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['JANUS_API_SECRET'], message: 'JANUS_API_SECRET and JANUS_ADMIN_KEY go with JANUS_URL or JANUS_URLS (a managed Janus gets fresh ones)' });
    }
    if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['TLS_KEY'], message: 'TLS_CERT and TLS_KEY go together' });
    }
  });

/** TURN settings: static credentials, or a shared secret for TURN REST credentials (draft-uberti-behave-turn-rest). */
export type TurnConfig =
  | { urls: readonly string[]; mode: 'static'; username: string; credential: string }
  | { urls: readonly string[]; mode: 'secret'; secret: string; ttlSeconds: number };

/**
 * The SFU (Janus WebRTC Server) a room escalates to. `mode`: `auto` uses `external` if set, else a managed Janus
 * when the `janus` binary is installed, else mesh only; `janus` requires one (external or managed); `off`: mesh only.
 */
export interface SfuConfig {
  readonly mode: 'auto' | 'janus' | 'off';
  /**
   * External Janus instances: their API WebSockets (`janus-protocol`; `JANUS_URL`, or `JANUS_URLS` in order), with
   * one `api_secret` and VideoRoom `admin_key` for all; null: none (a managed Janus, or mesh only).
   */
  readonly external: { readonly urls: readonly string[]; readonly apiSecret: string; readonly adminKey: string } | null;
  /**
   * Subscriptions on one Janus instance (every node's, when nodes share it) before a room's next watchers go to a
   * cascade on another instance (`JANUS_MAX_VIEWERS`); 0: no limit, no cascading.
   */
  readonly instanceMaxViewers: number;
  /** What a managed Janus needs on a public host: UDP port range, ICE interfaces, 1:1 NAT public addresses. */
  readonly managed: {
    readonly rtpPortRange: { readonly min: number; readonly max: number } | null;
    readonly iceInterfaces: readonly string[];
    readonly nat11: readonly string[];
  };
}

/** The whole configuration. Durations carry their unit in the name. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly stunUrls: readonly string[];
  readonly turn: TurnConfig | null;
  readonly iceTransportPolicy: 'all' | 'relay';
  readonly tls: { readonly cert: Buffer; readonly key: Buffer } | null;
  /** HS256 key for broadcaster tokens; null: protected mode, only loopback clients may broadcast. */
  readonly broadcastSecret: string | null;
  /** HS256 key for watcher tokens; null: anyone may watch. */
  readonly watchSecret: string | null;
  /** What a second broadcaster with a valid right to broadcast gets: refused, or the room (the first is closed). */
  readonly broadcasterTakeover: 'refuse' | 'takeover';
  /** Origins allowed on the `/ws` upgrade besides the server's own; null: the default (localhost origins). */
  readonly allowedOrigins: readonly string[] | null;
  /**
   * Who may show the embeddable player (`/embed`) in a frame, as CSP `frame-ancestors` sources: origins, `*` (any
   * site) or `self`; empty: nobody (the default, like every other page).
   */
  readonly frameAncestors: readonly string[];
  /** Open WebSocket connections allowed from one IP address. */
  readonly maxConnectionsPerIp: number;
  /** Most watchers per room; a watcher past it is refused with `room_full`. 0 = no limit. */
  readonly maxViewers: number;
  /** Who may read `/metrics`, `/api/rooms` and `/status`: `off`, `all`, or addresses/CIDRs (`loopback` = 127.0.0.0/8 and ::1). */
  readonly metricsAllow: readonly string[];
  /** `/readyz` (and every request) answers 503 while the event loop delay is over this, ms; 0 turns the check off. */
  readonly maxEventLoopDelayMs: number;
  /**
   * Each connection's message budget (a token bucket): messages per second and burst. A broadcaster gets this much
   * per watcher in its room.
   */
  readonly messageRate: { readonly ratePerS: number; readonly burst: number };
  /** The SFU rooms escalate to. */
  readonly sfu: SfuConfig;
  /** Watchers a room serves peer to peer; one more escalates it to the SFU (when there is one). 0 = SFU from the first. */
  readonly meshMaxViewers: number;
  /**
   * The HS256 key of resume tokens (`server/auth/resume-token.ts`): `RESUME_SECRET`, or, when unset, the key kept in
   * `file` (generated there on first start), so tokens stay valid across restarts. Every node of a cluster needs the
   * same key: set `RESUME_SECRET` on each.
   */
  readonly resume: { readonly secret: string | null; readonly file: string };
  /**
   * Reverse proxies (addresses/CIDRs, `loopback`) whose `X-Forwarded-For` names the client: the per-IP cap,
   * `METRICS_ALLOW` and protected mode then see the client's address, not the proxy's. null: no proxy trusted.
   */
  readonly trustProxy: readonly string[] | null;
  /** Redis (`redis://…`) shared by the nodes of a cluster; null: one node, everything in this process. */
  readonly redisUrl: string | null;
}

/** Thrown by {@link loadConfig} when a variable is invalid; `variable` names it. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable}: ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Empty strings count as unset (in the environment and in `.env`), so `.env.example` can list every variable empty. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

function readDotenv(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

/**
 * Read the configuration once.
 *
 * @param env        the variables (default `process.env`); they win over the `.env` file
 * @param dotenvPath a `.env` file to read first, or `null` for none (default `./.env`)
 * @returns a frozen {@link Config}
 * @throws {ConfigError} naming the first invalid variable
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, dotenvPath: string | null = '.env'): Config {
  const merged = { ...withoutEmpty(dotenvPath ? readDotenv(dotenvPath) : {}), ...withoutEmpty(env) };
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  let turn: TurnConfig | null = null;
  if (e.TURN_URLS.length > 0 && e.TURN_SECRET) {
    turn = { urls: e.TURN_URLS, mode: 'secret', secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_S };
  } else if (e.TURN_URLS.length > 0 && e.TURN_USERNAME && e.TURN_CREDENTIAL) {
    turn = { urls: e.TURN_URLS, mode: 'static', username: e.TURN_USERNAME, credential: e.TURN_CREDENTIAL };
  }
  let tls: Config['tls'] = null;
  if (e.TLS_CERT && e.TLS_KEY) {
    try {
      tls = Object.freeze({ cert: readFileSync(e.TLS_CERT), key: readFileSync(e.TLS_KEY) });
    } catch (err) {
      throw new ConfigError('TLS_CERT', `cannot read certificate or key: ${(err as Error).message}`);
    }
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    stunUrls: Object.freeze(e.STUN_URLS),
    turn: turn && Object.freeze({ ...turn, urls: Object.freeze(turn.urls) }),
    iceTransportPolicy: e.ICE_TRANSPORT_POLICY,
    tls,
    broadcastSecret: e.BROADCAST_SECRET ?? null,
    watchSecret: e.WATCH_SECRET ?? null,
    broadcasterTakeover: e.BROADCASTER_TAKEOVER,
    allowedOrigins: e.ALLOWED_ORIGINS ? Object.freeze(e.ALLOWED_ORIGINS) : null,
    frameAncestors: Object.freeze(e.FRAME_ANCESTORS),
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    maxViewers: e.MAX_VIEWERS,
    metricsAllow: Object.freeze(e.METRICS_ALLOW),
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    messageRate: Object.freeze({ ratePerS: e.MESSAGE_RATE_PER_S, burst: e.MESSAGE_BURST }),
    sfu: Object.freeze({
      mode: e.SFU,
      external:
        (e.JANUS_URL || e.JANUS_URLS) && e.JANUS_API_SECRET && e.JANUS_ADMIN_KEY
          ? Object.freeze({ urls: Object.freeze(e.JANUS_URL ? [e.JANUS_URL] : e.JANUS_URLS!), apiSecret: e.JANUS_API_SECRET, adminKey: e.JANUS_ADMIN_KEY })
          : null,
      instanceMaxViewers: e.JANUS_MAX_VIEWERS,
      managed: Object.freeze({
        rtpPortRange: e.JANUS_RTP_PORT_RANGE ? Object.freeze(e.JANUS_RTP_PORT_RANGE) : null,
        iceInterfaces: Object.freeze(e.JANUS_INTERFACE ?? []),
        nat11: Object.freeze(e.JANUS_NAT_1_1 ?? []),
      }),
    }),
    meshMaxViewers: e.MESH_MAX_VIEWERS,
    resume: Object.freeze({ secret: e.RESUME_SECRET ?? null, file: e.RESUME_SECRET_FILE }),
    trustProxy: e.TRUST_PROXY ? Object.freeze(e.TRUST_PROXY) : null,
    redisUrl: e.REDIS_URL ?? null,
  });
}

/** The `JANUS_*` secrets an external Janus's config is written with (`npm run janus-config`). */
const JanusSecretsSchema = z.object({ JANUS_API_SECRET: janusSecret, JANUS_ADMIN_KEY: janusSecret });

/**
 * Read `JANUS_API_SECRET` and `JANUS_ADMIN_KEY` from the environment only (no `.env`), checked as {@link loadConfig}
 * checks them: both set, 16–512 characters each.
 *
 * @throws {ConfigError} naming the first missing or invalid variable
 */
export function loadJanusSecrets(env: Record<string, string | undefined> = process.env): { apiSecret: string; adminKey: string } {
  const parsed = JanusSecretsSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.code === 'invalid_type' ? 'not set' : issue.message);
  }
  return { apiSecret: parsed.data.JANUS_API_SECRET, adminKey: parsed.data.JANUS_ADMIN_KEY };
}
