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
    watchers: 10,
    durationMs: 10_000,
    timeoutMs: 20_000,
    bindAddress: undefined,
    rembBitrate: 3_000_000,
    json: false,
  });
});

t.test('every option, converted to the units the run uses', async (t) => {
  const { options } = parse([
    '--url', 'https://onair.example.com', '--room', 'launch_2', '--watchers', '20', '--duration', '2.5',
    '--timeout', '30', '--bind-address', '127.0.0.1', '--remb-kbps', '1500', '--json',
  ]);
  t.same(options, {
    relayUrl: 'wss://onair.example.com/ws',
    room: 'launch_2',
    watchers: 20,
    durationMs: 2500,
    timeoutMs: 30_000,
    bindAddress: '127.0.0.1',
    rembBitrate: 1_500_000,
    json: true,
  });
  t.equal(parse(['--bind-address', '::1']).options?.bindAddress, '::1');
});

t.test('invalid values are refused with the option named', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--watchers', '0'], /'--watchers <n>' argument '0' is invalid\. expected an integer from 1 to 1000/],
    [['--watchers', '1.5'], /'--watchers <n>' argument '1.5' is invalid/],
    [['--watchers', 'ten'], /'--watchers <n>' argument 'ten' is invalid/],
    [['--watchers', '1001'], /'--watchers <n>' argument '1001' is invalid/],
    [['--duration', '0'], /'--duration <s>' argument '0' is invalid\. expected a number from 1 to 3600/],
    [['--duration', '1e3'], /'--duration <s>' argument '1e3' is invalid/],
    [['--timeout', '-5'], /'--timeout <s>' argument '-5' is invalid/],
    [['--remb-kbps', '10'], /'--remb-kbps <kbit\/s>' argument '10' is invalid/],
    [['--room', 'two words'], /'--room <name>' argument 'two words' is invalid\. expected 1-64 of A-Z a-z 0-9 _ -/],
    [['--url', 'ftp://example.com'], /'--url <url>' argument 'ftp:\/\/example.com' is invalid\. "ftp:" is not http:, https:, ws: or wss:/],
    [['--bind-address', 'localhost'], /'--bind-address <addr>' argument 'localhost' is invalid\. expected an IPv4 or IPv6 address/],
  ];
  for (const [args, message] of cases) {
    const { error, out } = parse(args);
    t.type(error, CommanderError, args.join(' '));
    t.equal(error?.code, 'commander.invalidArgument', args.join(' '));
    t.match(out, message, args.join(' '));
  }
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
