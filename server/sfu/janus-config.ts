/**
 * OnAir's own minimal configuration for a managed Janus WebRTC Server (1.1.x, libconfig `.jcfg` files read by
 * `janus -F <folder>`): the VideoRoom plugin only, the WebSocket transport only (bound to 127.0.0.1, `ws_acl`
 * "127."), an `api_secret` on every request, a VideoRoom `admin_key` for room creation and RTP forwarding, no Admin
 * API (unless a test asks for one on loopback), IPv6 off, no event handlers or external loggers, plain log lines.
 *
 * Every other plugin, transport, logger and event handler found in the package's folders is listed in `disable`, so a
 * package update that adds one cannot open a new door. No room is configured: rooms are created per broadcast through
 * the API with their own bitrate (not the sample room's 128 kbit/s cap).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian (multiarch) and source builds put Janus's plugin/transport folders; the first holding VideoRoom wins. */
const LIB_FOLDER_CANDIDATES = ['/usr/lib/x86_64-linux-gnu/janus', '/usr/lib/aarch64-linux-gnu/janus', '/usr/lib/janus', '/usr/local/lib/janus', '/opt/janus/lib/janus'];

/** The library folders' names under the lib folder. */
const SUBFOLDERS = { plugins: 'plugins', transports: 'transports', events: 'events', loggers: 'loggers' } as const;

/** The only shared objects OnAir loads. */
const KEEP = new Set(['libjanus_videoroom.so', 'libjanus_websockets.so']);

/** What {@link renderJanusConfig} needs. Secrets go into files only (mode 0600), never onto a command line. */
export interface JanusConfigOptions {
  /** The folder the `.jcfg` files are written to (also Janus's `configs_folder`). */
  configsFolder: string;
  /** Janus's library folder holding `plugins/`, `transports/`, `events/`, `loggers/` (see {@link findJanusLibFolder}). */
  libFolder: string;
  /** TCP port of the Janus API WebSocket on 127.0.0.1. */
  wsPort: number;
  /** Janus `api_secret`: every Janus API request must carry it (else 403 Unauthorized). */
  apiSecret: string;
  /** VideoRoom `admin_key`: needed to create rooms and (with `lock_rtp_forward`) to forward RTP. */
  adminKey: string;
  /** UDP port range for ICE/RTP, inclusive; null: Janus's default (any ephemeral port). */
  rtpPortRange: { min: number; max: number } | null;
  /** ICE gathers on these interfaces or address prefixes only (`ice_enforce_list`); empty: every non-loopback one. */
  iceInterfaces: readonly string[];
  /** Public IPv4 addresses put in host candidates behind a 1:1 NAT (`nat_1_1_mapping`); empty: none. */
  nat11: readonly string[];
  /** Tests only: the Admin API on a WebSocket at 127.0.0.1:`port` with `admin_secret` = `secret`. Null: off. */
  adminApi: { port: number; secret: string } | null;
}

/**
 * The first folder in the usual places that holds Janus's VideoRoom plugin and WebSocket transport.
 *
 * @returns an absolute path such as `/usr/lib/x86_64-linux-gnu/janus`, or null when Janus is not installed there
 */
export function findJanusLibFolder(candidates: readonly string[] = LIB_FOLDER_CANDIDATES): string | null {
  return (
    candidates.find(
      (dir) => existsSync(join(dir, SUBFOLDERS.plugins, 'libjanus_videoroom.so')) && existsSync(join(dir, SUBFOLDERS.transports, 'libjanus_websockets.so')),
    ) ?? null
  );
}

/** A libconfig string literal. */
function str(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A `name: { key = value ... }` section from entries whose value is already a literal; undefined entries are left out. */
function section(name: string, entries: Record<string, string | undefined>): string {
  const lines = Object.entries(entries)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([key, value]) => `\t${key} = ${value}`);
  return `${name}: {\n${lines.join('\n')}\n}\n`;
}

/** The `*.so` files in `folder` that OnAir does not load, comma-separated for a `disable` entry (undefined if none). */
function disableList(folder: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.so') && !KEEP.has(n));
  } catch {
    return undefined;
  }
  return names.length > 0 ? str(names.sort().join(',')) : undefined;
}

/**
 * The three configuration files, by file name: `janus.jcfg`, `janus.transport.websockets.jcfg`,
 * `janus.plugin.videoroom.jcfg`. Pure apart from listing the library folders (to disable what is not ours).
 *
 * @throws RangeError when a port or the RTP port range is out of 1–65535
 */
export function renderJanusConfig(o: JanusConfigOptions): Record<string, string> {
  for (const port of [o.wsPort, o.adminApi?.port, o.rtpPortRange?.min, o.rtpPortRange?.max]) {
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new RangeError(`port out of range: ${port}`);
  }
  if (o.rtpPortRange && o.rtpPortRange.min > o.rtpPortRange.max) throw new RangeError('RTP port range: min is above max');
  const lib = (sub: keyof typeof SUBFOLDERS) => join(o.libFolder, SUBFOLDERS[sub]);
  const core =
    section('general', {
      configs_folder: str(o.configsFolder),
      plugins_folder: str(lib('plugins')),
      transports_folder: str(lib('transports')),
      events_folder: str(lib('events')),
      loggers_folder: str(lib('loggers')),
      debug_level: '4',
      debug_timestamps: 'false',
      debug_colors: 'false',
      server_name: str('OnAir'),
      api_secret: str(o.apiSecret),
      admin_secret: o.adminApi ? str(o.adminApi.secret) : undefined,
      session_timeout: '60',
      hide_dependencies: 'true',
      exit_on_dl_error: 'true',
    }) +
    section('media', {
      ipv6: 'false',
      rtp_port_range: o.rtpPortRange ? str(`${o.rtpPortRange.min}-${o.rtpPortRange.max}`) : undefined,
    }) +
    section('nat', {
      nice_debug: 'false',
      ignore_mdns: 'true',
      ice_enforce_list: o.iceInterfaces.length > 0 ? str(o.iceInterfaces.join(',')) : undefined,
      nat_1_1_mapping: o.nat11.length > 0 ? str(o.nat11.join(',')) : undefined,
    }) +
    section('plugins', { disable: disableList(lib('plugins')) }) +
    section('transports', { disable: disableList(lib('transports')) }) +
    section('loggers', { disable: disableList(lib('loggers')) }) +
    section('events', { broadcast: 'false', disable: disableList(lib('events')) });

  const websockets =
    section('general', {
      json: str('compact'),
      ws: 'true',
      ws_port: String(o.wsPort),
      ws_ip: str('127.0.0.1'),
      ws_acl: str('127.'),
      wss: 'false',
      ws_logging: str('err'),
    }) +
    section('admin', {
      admin_ws: o.adminApi ? 'true' : 'false',
      admin_ws_port: o.adminApi ? String(o.adminApi.port) : undefined,
      admin_ws_ip: o.adminApi ? str('127.0.0.1') : undefined,
      admin_ws_acl: o.adminApi ? str('127.') : undefined,
      admin_wss: 'false',
    });

  const videoroom = section('general', {
    admin_key: str(o.adminKey),
    lock_rtp_forward: 'true',
    string_ids: 'true',
    events: 'false',
  });

  return {
    'janus.jcfg': core,
    'janus.transport.websockets.jcfg': websockets,
    'janus.plugin.videoroom.jcfg': videoroom,
  };
}

/** Write {@link renderJanusConfig}'s files into `o.configsFolder`, readable by this user only (they hold secrets). */
export function writeJanusConfig(o: JanusConfigOptions): void {
  for (const [name, text] of Object.entries(renderJanusConfig(o))) {
    writeFileSync(join(o.configsFolder, name), text, { mode: 0o600 });
  }
}
