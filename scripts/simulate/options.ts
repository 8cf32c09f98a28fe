/**
 * The `npm run simulate` command line, parsed and checked by commander: every value is validated where it is read,
 * and durations leave this module in ms.
 */
import { isIP } from 'node:net';
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { RoomName } from '../../server/protocol/messages.ts';
import { relayUrlFor } from './relay-url.ts';

/** What one simulation run does. */
export interface SimulateOptions {
  /** The relay's WebSocket URL, `ws(s)://host/ws`. */
  relayUrl: string;
  room: string;
  /** How many watchers join, 1–1000. */
  watchers: number;
  /** How long each watcher receives once connected, in ms. */
  durationMs: number;
  /** How long a watcher may take from opening its socket to ICE connected, in ms. */
  timeoutMs: number;
  /** The local address ICE gathers on (node-datachannel `bindAddress`); all addresses when undefined. */
  bindAddress: string | undefined;
  /** The bitrate each watcher asks for in its REMB reports, in bit/s. */
  rembBitrate: number;
  /** Print the summary as JSON on stdout. */
  json: boolean;
}

/** Defaults, in the units the flags take. */
export const DEFAULTS = {
  url: 'http://localhost:3000',
  room: 'main',
  watchers: 10,
  durationS: 10,
  timeoutS: 20,
  rembKbps: 3000,
} as const;

/** A parser for a decimal number flag within [min, max]; `integer` refuses fractions. */
function numberIn(min: number, max: number, integer = false): (value: string) => number {
  return (value) => {
    const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`);
    }
    return n;
  };
}

function relayUrl(value: string): string {
  try {
    return relayUrlFor(value);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
}

function roomName(value: string): string {
  if (!RoomName.safeParse(value).success) throw new InvalidArgumentError('expected 1-64 of A-Z a-z 0-9 _ -.');
  return value;
}

function ipAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('expected an IPv4 or IPv6 address, e.g. 127.0.0.1.');
  return value;
}

/**
 * A fresh commander program for the simulator (commander keeps parse state, so one per parse).
 *
 * @param output where commander writes help and errors (default stdout/stderr)
 */
export function createProgram(output?: OutputConfiguration): Command {
  const program = new Command('simulate')
    .description('Join simulated WebRTC watchers to an OnAir room and measure how they connect and what they receive.')
    .addOption(
      new Option('--url <url>', 'the OnAir server (http, https, ws or wss); the relay is <url>/ws')
        .argParser(relayUrl)
        .default(relayUrlFor(DEFAULTS.url), DEFAULTS.url),
    )
    .option('--room <name>', 'the room to watch', roomName, DEFAULTS.room)
    .option('--watchers <n>', 'how many watchers join (1-1000)', numberIn(1, 1000, true), DEFAULTS.watchers)
    .option('--duration <s>', 'seconds each watcher receives once connected', numberIn(1, 3600), DEFAULTS.durationS)
    .option('--timeout <s>', 'seconds a watcher may take to connect before giving up', numberIn(1, 600), DEFAULTS.timeoutS)
    .option('--bind-address <addr>', 'local IP address ICE gathers on (node-datachannel bindAddress)', ipAddress)
    .option('--remb-kbps <kbit/s>', 'bitrate each watcher asks for in its REMB reports', numberIn(30, 100_000), DEFAULTS.rembKbps)
    .option('--json', 'print the summary as JSON on stdout', false)
    .allowExcessArguments(false)
    .exitOverride();
  if (output) program.configureOutput(output);
  return program;
}

/**
 * Parse the simulator's arguments.
 *
 * @param args   the arguments after the script name (`process.argv.slice(2)`)
 * @param output where commander writes help and errors (default stdout/stderr)
 * @returns checked options, durations in ms and the REMB bitrate in bit/s
 * @throws CommanderError for a bad or unknown option (`code` e.g. `commander.invalidArgument`,
 *   `commander.unknownOption`), and for `--help` (`code` `commander.helpDisplayed`, `exitCode` 0)
 */
export function parseCommandLine(args: readonly string[], output?: OutputConfiguration): SimulateOptions {
  const program = createProgram(output).parse([...args], { from: 'user' });
  const o = program.opts<{
    url: string;
    room: string;
    watchers: number;
    duration: number;
    timeout: number;
    bindAddress?: string;
    rembKbps: number;
    json: boolean;
  }>();
  return {
    relayUrl: o.url,
    room: o.room,
    watchers: o.watchers,
    durationMs: Math.round(o.duration * 1000),
    timeoutMs: Math.round(o.timeout * 1000),
    bindAddress: o.bindAddress,
    rembBitrate: Math.round(o.rembKbps * 1000),
    json: o.json,
  };
}
