/**
 * The `npm run janus-config` command line, parsed and checked by commander with the same rules as the server's
 * `JANUS_*` variables (server/janus-settings.ts) and the config writer's (server/sfu/janus-config.ts). No flag takes
 * a secret: those come from the environment only.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import type { z } from 'zod';
import { janusInterfaces, janusNat11, janusPortRange } from '../../server/janus-settings.ts';
import { isWsAclEntry } from '../../server/sfu/janus-config.ts';

/** Where and how one external Janus instance listens. */
export interface JanusConfigCommandLine {
  /** The folder the `.jcfg` files go to (absolute; Janus's `configs_folder`). */
  out: string;
  /** The Janus API WebSocket's address (`ws_ip`), port (`ws_port`) and who may connect (`ws_acl` entries). */
  wsIp: string;
  wsPort: number;
  wsAcl: string[];
  /** ICE interfaces (`ice_enforce_list`); empty: every non-loopback one. */
  iceInterfaces: string[];
  /** UDP ports for ICE/RTP, inclusive; null: Janus's default. */
  rtpPortRange: { min: number; max: number } | null;
  /** Public addresses of a 1:1 NAT (`nat_1_1_mapping`); empty: none. */
  nat11: string[];
}

/** A commander parser from a zod schema: its first issue becomes the error message. */
function fromSchema<T>(schema: z.ZodType<T, string>): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]!.message}.`);
    return parsed.data;
  };
}

function ipAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('expected an IP address such as 10.0.0.5.');
  return value;
}

function acl(value: string): string[] {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0 || !entries.every(isWsAclEntry)) {
    throw new InvalidArgumentError('expected address prefixes ending in a dot (10.0.0.) or addresses, comma-separated.');
  }
  return entries;
}

function tcpPort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new InvalidArgumentError('expected a port from 1 to 65535.');
  return port;
}

/**
 * Parse `args` (without `node script`).
 *
 * @throws CommanderError for a bad command line, a missing `--out`, or `--help` (commander has printed it)
 */
export function parseCommandLine(args: readonly string[], output?: OutputConfiguration): JanusConfigCommandLine {
  const program = new Command('npm run janus-config --')
    .description(
      "Write an external Janus instance's config folder (VideoRoom and WebSocket only, api_secret and admin_key from " +
        'JANUS_API_SECRET and JANUS_ADMIN_KEY in the environment), for `janus -F <folder>` or onair-janus@.service.',
    )
    .addOption(new Option('--out <dir>', 'the config folder to write (made 0700, files 0600)').makeOptionMandatory())
    .addOption(new Option('--ws-ip <address>', 'the address the Janus API WebSocket listens on').default('127.0.0.1').argParser(ipAddress))
    .addOption(new Option('--ws-acl <prefixes>', 'who may connect: address prefixes, comma-separated').default(['127.'], '127.').argParser(acl))
    .addOption(new Option('--ws-port <port>', 'its TCP port').default(8188).argParser(tcpPort))
    .addOption(new Option('--interface <list>', 'the interfaces ICE gathers on (ice_enforce_list)').argParser(fromSchema(janusInterfaces)))
    .addOption(new Option('--rtp-ports <min-max>', 'UDP ports for ICE/RTP, e.g. 20000-40000').argParser(fromSchema(janusPortRange)))
    .addOption(new Option('--nat-1-1 <addresses>', 'public addresses of a 1:1 NAT (nat_1_1_mapping)').argParser(fromSchema(janusNat11)))
    .exitOverride()
    .allowExcessArguments(false);
  if (output) program.configureOutput(output);
  program.parse(args, { from: 'user' });
  const o = program.opts<{
    out: string;
    wsIp: string;
    wsAcl: string[];
    wsPort: number;
    interface?: string[];
    rtpPorts?: { min: number; max: number };
    nat11?: string[];
  }>();
  if (program.getOptionValueSource('wsAcl') === 'default' && !(o.wsIp.startsWith('127.') || o.wsIp === '::1')) {
    // The default ACL lets loopback in only: nobody could reach a WebSocket on another address.
    program.error("error: --ws-ip is not loopback: give --ws-acl, who may connect (the OnAir nodes' address prefix, e.g. 10.0.0.)", { exitCode: 2 });
  }
  return {
    out: resolve(o.out),
    wsIp: o.wsIp,
    wsPort: o.wsPort,
    wsAcl: o.wsAcl,
    iceInterfaces: o.interface ?? [],
    rtpPortRange: o.rtpPorts ?? null,
    nat11: o.nat11 ?? [],
  };
}
