/**
 * OnAir's own minimal configuration for a Janus WebRTC Server (1.1.x, libconfig `.jcfg` files read by
 * `janus -F <folder>`): the VideoRoom plugin only, the WebSocket transport only (bound to 127.0.0.1, `ws_acl`
 * "127.", for a managed Janus; an external one's address and ACL from `npm run janus-config`), an `api_secret` on
 * every request, a VideoRoom `admin_key` for room creation and RTP forwarding, no Admin API (unless a test asks for
 * one on loopback), IPv6 off, no event handlers or external loggers, plain log lines.
 *
 * Every other plugin, transport, logger and event handler found in the package's folders is listed in `disable`, so a
 * package update that adds one cannot open a new door. No room is configured: rooms are created per broadcast through
 * the API with their own bitrate (not the sample room's 128 kbit/s cap).
 */
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
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
  /** TCP port of the Janus API WebSocket. */
  wsPort: number;
  /**
   * The address the Janus API WebSocket listens on (`ws_ip`; Janus binds to the interface holding it). Default
   * 127.0.0.1, what a managed Janus keeps.
   */
  wsIp?: string;
  /**
   * Who may connect to it (`ws_acl`): address prefixes such as `10.0.0.` or whole addresses, each checked with
   * {@link isWsAclEntry}. Janus matches them as substrings of the client's address text (`10.0.0.` also lets
   * `110.0.0.5` in). Default `['127.']`, what a managed Janus keeps.
   */
  wsAcl?: readonly string[];
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

/**
 * Whether `entry` is a `ws_acl` entry OnAir writes: a whole IPv4/IPv6 address, or the start of one ending at a
 * separator (`10.`, `10.0.0.`, `fd00:`).
 */
export function isWsAclEntry(entry: string): boolean {
  if (isIP(entry) !== 0) return true;
  const v4 = /^(\d{1,3}\.){1,3}$/.exec(entry);
  if (v4) return entry.split('.').slice(0, -1).every((octet) => Number(octet) <= 255);
  return /^[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{0,4}){0,6}:$/.test(entry);
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
 * @throws RangeError when a port or the RTP port range is out of 1–65535, `wsIp` is not an IP address, or `wsAcl` is
 *         empty or holds an entry {@link isWsAclEntry} refuses
 */
export function renderJanusConfig(o: JanusConfigOptions): Record<string, string> {
  const wsIp = o.wsIp ?? '127.0.0.1';
  const wsAcl = o.wsAcl ?? ['127.'];
  if (isIP(wsIp) === 0) throw new RangeError(`WebSocket address: not an IP address: ${wsIp}`);
  if (wsAcl.length === 0) throw new RangeError('WebSocket ACL: empty (Janus would let every address in)');
  for (const entry of wsAcl) {
    if (!isWsAclEntry(entry)) throw new RangeError(`WebSocket ACL: not an address or address prefix: ${entry}`);
  }
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
      ws_ip: str(wsIp),
      ws_acl: str(wsAcl.join(',')),
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

/**
 * Write {@link renderJanusConfig}'s files into `o.configsFolder`, readable by this user only (they hold secrets):
 * each through a new 0600 file renamed over the old one, so rewriting a folder never leaves a file with wider
 * permissions or half written.
 *
 * @throws RangeError as {@link renderJanusConfig}; the file system's errors (folder missing, not writable)
 */
export function writeJanusConfig(o: JanusConfigOptions): void {
  for (const [name, text] of Object.entries(renderJanusConfig(o))) {
    const path = join(o.configsFolder, name);
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, text, { mode: 0o600, flag: 'wx' });
    renameSync(partial, path);
  }
}
