import { CommanderError } from 'commander';
import t from 'tap';
import { parseCommandLine } from '../../scripts/simulate/options.ts';

/** Parse with commander's output captured instead of printed. */
function parse(args: string[]) {
  const out: string[] = [];
  const write = (s: string) => void out.push(s);
  try {
    return { options: parseCommandLine(args, { writeOut: write, writeErr: write }), out: out.join('') };
  } catch (err) {
    return { error: err as CommanderError, out: out.join('') };
  }
}

t.test('defaults', async (t) => {
  t.same(parse([]).options, {
    relayUrl: 'ws://localhost:3000/ws',
    room: 'main',
    rooms: 1,
    watchers: 10,
    rampPerSecond: 0,
    signalingOnly: false,
    broadcaster: 'none',
    capture: { width: 854, height: 480, fps: 30 },
    adapt: true,
    durationMs: 10_000,
    timeoutMs: 20_000,
    bindAddress: undefined,
    rembBitrate: 3_000_000,
    weak: 0,
    weakKbps: 300,
    small: 0,
    json: false,
    out: undefined,
  });
});

t.test('every option, converted to the units the run uses', async (t) => {
  const { options } = parse([
    '--url', 'https://onair.example.com', '--room', 'launch_2', '--watchers', '20', '--duration', '2.5',
    '--timeout', '30', '--bind-address', '127.0.0.1', '--remb-kbps', '1500', '--json', '--rooms', '4', '--ramp', '5',
    '--broadcaster', 'chromium', '--resolution', '1280x720', '--fps', '15', '--adapt', 'off', '--out', 'run.json',
    '--weak', '3', '--weak-kbps', '250', '--small', '2',
  ]);
  t.same(options, {
    relayUrl: 'wss://onair.example.com/ws',
    room: 'launch_2',
    rooms: 4,
    watchers: 20,
    rampPerSecond: 5,
    signalingOnly: false,
    broadcaster: 'chromium',
    capture: { width: 1280, height: 720, fps: 15 },
    adapt: false,
    durationMs: 2500,
    timeoutMs: 30_000,
    bindAddress: '127.0.0.1',
    rembBitrate: 1_500_000,
    weak: 3,
    weakKbps: 250,
    small: 2,
    json: true,
    out: 'run.json',
  });
  const sim = parse(['--signaling-only', '--broadcaster', 'sim', '--watchers', '5000']).options;
  t.match(sim, { signalingOnly: true, broadcaster: 'sim', watchers: 5000 });
  t.equal(parse(['--bind-address', '::1']).options?.bindAddress, '::1');
});

t.test('invalid values are refused with the option named', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--watchers', '0'], /'--watchers <n>' argument '0' is invalid\. expected an integer from 1 to 10000/],
    [['--watchers', '1.5'], /'--watchers <n>' argument '1.5' is invalid/],
    [['--watchers', 'ten'], /'--watchers <n>' argument 'ten' is invalid/],
    [['--watchers', '10001'], /'--watchers <n>' argument '10001' is invalid/],
    [['--ramp', '-1'], /'--ramp <n\/s>' argument '-1' is invalid/],
    [['--rooms', '0'], /'--rooms <k>' argument '0' is invalid\. expected an integer from 1 to 1000/],
    [['--resolution', '854'], /'--resolution <WxH>' argument '854' is invalid\. expected WIDTHxHEIGHT/],
    [['--resolution', '855x480'], /'--resolution <WxH>' argument '855x480' is invalid/],
    [['--fps', '61'], /'--fps <n>' argument '61' is invalid/],
    [['--adapt', 'maybe'], /'--adapt <on\|off>' argument 'maybe' is invalid\. expected on or off/],
    [['--duration', '0'], /'--duration <s>' argument '0' is invalid\. expected a number from 1 to 3600/],
    [['--duration', '1e3'], /'--duration <s>' argument '1e3' is invalid/],
    [['--timeout', '-5'], /'--timeout <s>' argument '-5' is invalid/],
    [['--remb-kbps', '10'], /'--remb-kbps <kbit\/s>' argument '10' is invalid/],
    [['--room', 'two words'], /'--room <name>' argument 'two words' is invalid\. expected 1-64 of A-Z a-z 0-9 _ -/],
    [['--url', 'ftp://example.com'], /'--url <url>' argument 'ftp:\/\/example.com' is invalid\. "ftp:" is not http:, https:, ws: or wss:/],
    [['--weak', '-1'], /'--weak <n>' argument '-1' is invalid/],
    [['--weak', '1.5'], /'--weak <n>' argument '1.5' is invalid/],
    [['--weak-kbps', '5'], /'--weak-kbps <kbit\/s>' argument '5' is invalid\. expected a number from 10 to 100000/],
    [['--small', 'some'], /'--small <n>' argument 'some' is invalid/],
    [['--bind-address', 'localhost'], /'--bind-address <addr>' argument 'localhost' is invalid\. expected an IPv4 or IPv6 address/],
  ];
  for (const [args, message] of cases) {
    const { error, out } = parse(args);
    t.type(error, CommanderError, args.join(' '));
    t.equal(error?.code, 'commander.invalidArgument', args.join(' '));
    t.match(out, message, args.join(' '));
  }
});

t.test('a broadcaster kind that does not exist, and combinations that cannot work, are refused', async (t) => {
  const kind = parse(['--broadcaster', 'obs']);
  t.equal(kind.error?.code, 'commander.invalidArgument');
  t.match(kind.out, /Allowed choices are none, sim, chromium/);
  const chromium = parse(['--signaling-only', '--broadcaster', 'chromium']);
  t.equal(chromium.error?.code, 'onair.incompatibleOptions');
  t.equal(chromium.error?.exitCode, 2);
  t.match(chromium.out, /--signaling-only watchers cannot receive from --broadcaster chromium/);
  t.equal(parse(['--broadcaster', 'sim']).error?.code, 'onair.incompatibleOptions', 'sim sends no media');
  const many = parse(['--watchers', '2000']);
  t.equal(many.error?.code, 'onair.tooManyWatchers');
  t.match(many.out, /at most 1000 media watchers/);
});

t.test('unknown options, missing values and extra arguments are refused', async (t) => {
  t.equal(parse(['--watcher', '3']).error?.code, 'commander.unknownOption');
  t.equal(parse(['--watchers']).error?.code, 'commander.optionMissingArgument');
  t.equal(parse(['main']).error?.code, 'commander.excessArguments');
});

t.test('--help prints usage and exits 0', async (t) => {
  const { error, out } = parse(['--help']);
  t.equal(error?.code, 'commander.helpDisplayed');
  t.equal(error?.exitCode, 0);
  t.match(out, /--watchers <n>/);
  t.match(out, /default: http:\/\/localhost:3000/);
});
