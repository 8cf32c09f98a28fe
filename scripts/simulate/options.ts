/**
 * The `npm run simulate` command line, parsed and checked by commander: every value is validated where it is read,
 * and durations leave this module in ms.
 */
import { isIP } from 'node:net';
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { RoomName } from '../../protocol/messages.ts';
import { relayUrlFor } from './relay-url.ts';

/** Who broadcasts: nobody started by the CLI (`none`), the built-in simulated broadcaster, or headless Chromium. */
export type BroadcasterKind = 'none' | 'sim' | 'chromium';
export const BROADCASTER_KINDS: readonly BroadcasterKind[] = ['none', 'sim', 'chromium'];

/** What one simulation run does. */
export interface SimulateOptions {
  /** The relay's WebSocket URL, `ws(s)://host/ws`. */
  relayUrl: string;
  /** The room, or with `rooms` > 1 the prefix of the rooms `<room>-0` … `<room>-<rooms-1>`. */
  room: string;
  /** How many rooms the watchers are spread over, round robin. */
  rooms: number;
  /** How many watchers join, 1–10,000. */
  watchers: number;
  /** Join rate, in watchers per second; 0 starts them all at once. */
  rampPerSecond: number;
  /** Watchers that do the signalling only, with no peer connection. */
  signalingOnly: boolean;
  /** Who the CLI starts as each room's broadcaster. */
  broadcaster: BroadcasterKind;
  /** The Chromium broadcaster's fake camera: frame size in pixels and frame rate. */
  capture: { width: number; height: number; fps: number };
  /** Whether the Chromium broadcaster page adapts its senders (`?adapt=off` when false). */
  adapt: boolean;
  /** How long each watcher receives once connected, in ms. */
  durationMs: number;
  /** How long a watcher may take from opening its socket to ICE connected, in ms. */
  timeoutMs: number;
  /** The local address ICE gathers on (node-datachannel `bindAddress`); all addresses when undefined. */
  bindAddress: string | undefined;
  /** The bitrate each watcher asks for in its REMB reports, in bit/s. */
  rembBitrate: number;
  /** Through the SFU: the first `weak` watchers report a bandwidth estimate of `weakKbps` kbit/s (`layerReport`). */
  weak: number;
  weakKbps: number;
  /** Through the SFU: the next `small` watchers report a small player ({@link SMALL_PLAYER_HEIGHT} device px). */
  small: number;
  /** Print the summary as JSON on stdout. */
  json: boolean;
  /** Also write the JSON summary to this file. */
  out: string | undefined;
}

/** Defaults, in the units the flags take. */
export const DEFAULTS = {
  url: 'http://localhost:3000',
  room: 'main',
  watchers: 10,
  rooms: 1,
  ramp: 0,
  broadcaster: 'none',
  resolution: '854x480',
  fps: 30,
  durationS: 10,
  timeoutS: 20,
  rembKbps: 3000,
  weak: 0,
  weakKbps: 300,
  small: 0,
} as const;

/** The player height `--small` watchers report, in device pixels (a 320×180 player). */
export const SMALL_PLAYER_HEIGHT = 180;

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

function resolution(value: string): { width: number; height: number } {
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(value.trim());
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || width < 16 || height < 16 || width > 3840 || height > 2160 || width % 2 || height % 2) {
    throw new InvalidArgumentError('expected WIDTHxHEIGHT, even numbers from 16x16 to 3840x2160, e.g. 854x480.');
  }
  return { width, height };
}

function onOff(value: string): boolean {
  if (value !== 'on' && value !== 'off') throw new InvalidArgumentError('expected on or off.');
  return value === 'on';
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
    .option('--room <name>', 'the room to watch (with --rooms, the prefix of <name>-0, <name>-1, ...)', roomName, DEFAULTS.room)
    .option('--rooms <k>', 'spread the watchers over k rooms, round robin (1-1000)', numberIn(1, 1000, true), DEFAULTS.rooms)
    .option('--watchers <n>', 'how many watchers join (1-10000)', numberIn(1, 10_000, true), DEFAULTS.watchers)
    .option('--ramp <n/s>', 'join rate in watchers per second (0: all at once)', numberIn(0, 100_000), DEFAULTS.ramp)
    .option('--signaling-only', 'watchers do the signalling only (answer with a made-up SDP): no peer connection, no media', false)
    .addOption(
      new Option('--broadcaster <kind>', 'start each room\'s broadcaster: none, sim (built-in, signalling only) or chromium (headless, fake camera)')
        .choices(BROADCASTER_KINDS)
        .default(DEFAULTS.broadcaster),
    )
    .option('--resolution <WxH>', 'the Chromium broadcaster\'s camera frame size', resolution, resolution(DEFAULTS.resolution))
    .option('--fps <n>', 'the Chromium broadcaster\'s camera frame rate (1-60)', numberIn(1, 60, true), DEFAULTS.fps)
    .option('--adapt <on|off>', 'whether the Chromium broadcaster adapts its senders to the audience', onOff, true)
    .option('--duration <s>', 'seconds each watcher receives once connected', numberIn(1, 3600), DEFAULTS.durationS)
    .option('--timeout <s>', 'seconds a watcher may take to connect before giving up', numberIn(1, 600), DEFAULTS.timeoutS)
    .option('--bind-address <addr>', 'local IP address ICE gathers on (node-datachannel bindAddress)', ipAddress)
    .option('--remb-kbps <kbit/s>', 'bitrate each watcher asks for in its REMB reports', numberIn(30, 100_000), DEFAULTS.rembKbps)
    .option('--weak <n>', 'through the SFU, the first n watchers report a weak link (--weak-kbps) in their layer reports', numberIn(0, 10_000, true), DEFAULTS.weak)
    .option('--weak-kbps <kbit/s>', 'the bandwidth estimate --weak watchers report', numberIn(10, 100_000), DEFAULTS.weakKbps)
    .option('--small <n>', `through the SFU, the next n watchers report a small player (${SMALL_PLAYER_HEIGHT} px high)`, numberIn(0, 10_000, true), DEFAULTS.small)
    .option('--json', 'print the summary as JSON on stdout', false)
    .option('--out <file>', 'also write the JSON summary to this file')
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
    rooms: number;
    watchers: number;
    ramp: number;
    signalingOnly: boolean;
    broadcaster: BroadcasterKind;
    resolution: { width: number; height: number };
    fps: number;
    adapt: boolean;
    duration: number;
    timeout: number;
    bindAddress?: string;
    rembKbps: number;
    weak: number;
    weakKbps: number;
    small: number;
    json: boolean;
    out?: string;
  }>();
  if (o.signalingOnly && o.broadcaster === 'chromium') {
    program.error('error: --signaling-only watchers cannot receive from --broadcaster chromium; use --broadcaster sim or none.', { code: 'onair.incompatibleOptions', exitCode: 2 });
  }
  if (!o.signalingOnly && o.broadcaster === 'sim') {
    program.error('error: --broadcaster sim sends no media; add --signaling-only.', { code: 'onair.incompatibleOptions', exitCode: 2 });
  }
  if (!o.signalingOnly && o.watchers > 1000) {
    program.error('error: at most 1000 media watchers; more with --signaling-only.', { code: 'onair.tooManyWatchers', exitCode: 2 });
  }
  return {
    relayUrl: o.url,
    room: o.room,
    rooms: o.rooms,
    watchers: o.watchers,
    rampPerSecond: o.ramp,
    signalingOnly: o.signalingOnly,
    broadcaster: o.broadcaster,
    capture: { ...o.resolution, fps: o.fps },
    adapt: o.adapt,
    durationMs: Math.round(o.duration * 1000),
    timeoutMs: Math.round(o.timeout * 1000),
    bindAddress: o.bindAddress,
    rembBitrate: Math.round(o.rembKbps * 1000),
    weak: o.weak,
    weakKbps: o.weakKbps,
    small: o.small,
    json: o.json,
    out: o.out,
  };
}
