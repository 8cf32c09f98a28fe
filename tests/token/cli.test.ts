/**
 * `npm run token`: a token the server accepts, and a link that carries it only in the URL fragment.
 */
import { CommanderError } from 'commander';
import t from 'tap';
import { parseCommandLine, parseTtl, tokenLink } from '../../scripts/token/options.ts';
import { checkToken } from '../../server/auth/tokens.ts';
import { runScript } from '../helpers/run-script.ts';

const BROADCAST_SECRET = 'cli-test-broadcast-secret-0123456789';
const ENV = { BROADCAST_SECRET, WATCH_SECRET: '', PORT: '3999', HOST: '127.0.0.1' };

t.test('--room --role --ttl: prints a valid token and a link with it in the fragment', async (t) => {
  const run = await runScript('scripts/token.ts', ['--room', 'stage', '--role', 'broadcaster', '--ttl', '12h'], ENV);
  t.equal(run.status, 0, run.stderr);
  const [token, link, extra] = run.stdout.split('\n');
  t.equal(extra, '', 'two lines');
  t.equal(await checkToken(BROADCAST_SECRET, token!, { room: 'stage', role: 'broadcaster' }), null, 'the server accepts it');
  t.equal(await checkToken(BROADCAST_SECRET, token!, { room: 'stage', role: 'broadcaster' }, Date.now() + 12 * 3600_000 + 5000), 'bad token: ERR_JWT_EXPIRED', 'for 12 h');
  const url = new URL(link!);
  t.equal(`${url.origin}${url.pathname}${url.search}`, 'http://127.0.0.1:3999/?room=stage', 'the broadcaster page of this server');
  t.equal(url.hash, `#token=${token}`, 'the token is only in the fragment');
});

t.test('a watcher link goes to /watch; --url sets the address', async (t) => {
  t.equal(tokenLink({ room: 'a', role: 'watcher', url: 'https://onair.example.com' }, 'T'), 'https://onair.example.com/watch?room=a#token=T');
});

t.test('no secret for the role, bad options: exit 2 with the reason on stderr', async (t) => {
  const noSecret = await runScript('scripts/token.ts', ['--role', 'watcher'], ENV);
  t.equal(noSecret.status, 2);
  t.match(noSecret.stderr, /WATCH_SECRET is not set/);
  t.equal(noSecret.stdout, '');
  const badOption = await runScript('scripts/token.ts', ['--ttl', 'forever'], ENV);
  t.equal(badOption.status, 2);
  t.match(badOption.stderr, /--ttl <duration>' argument 'forever' is invalid/);
  const silent = { writeOut: () => {}, writeErr: () => {} };
  for (const args of [['--room', 'bad room'], ['--role', 'admin'], ['--url', 'ftp://x'], ['extra']]) {
    t.throws(() => parseCommandLine(args, 'http://localhost:3000', silent), CommanderError, args.join(' '));
  }
  t.same(parseCommandLine([], 'http://localhost:3000'), { room: 'main', role: 'broadcaster', ttlSeconds: 43_200, url: 'http://localhost:3000' }, 'defaults');
});

t.test('durations', async (t) => {
  t.equal(parseTtl('90s'), 90);
  t.equal(parseTtl('30m'), 1800);
  t.equal(parseTtl('12h'), 43_200);
  t.equal(parseTtl('7d'), 604_800);
  t.equal(parseTtl('45'), 45);
  for (const bad of ['0', '366d', '1.5h', '-1h', 'h', '']) t.throws(() => parseTtl(bad), bad);
});
