/**
 * No secret in any log: with the server's own logger options at the most verbose level, captured from a stream,
 * one good and one bad login, TURN credentials, SDP and a token in a query string leave no trace of the secret.
 */
import { Writable } from 'node:stream';
import t from 'tap';
import { signToken } from '../../server/auth/tokens.ts';
import { loadConfig } from '../../server/config.ts';
import { loggerOptions, withoutQuery } from '../../server/logger.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { expectClose, sdpFor, TEST_OPTIONS } from '../signaling/helpers.ts';

const BROADCAST_SECRET = 'log-test-broadcast-secret-0123456789';
const TURN_SECRET = 'log-test-turn-secret-0123';

t.test('withoutQuery', async (t) => {
  t.equal(withoutQuery('/watch?room=a&token=x'), '/watch?…');
  t.equal(withoutQuery('/ws'), '/ws');
  t.equal(withoutQuery(undefined), undefined);
});

t.test('a good and a bad login, TURN credentials, SDP and a query-string token: none in the logs', TEST_OPTIONS, async (t) => {
  let logs = '';
  const stream = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  const env = { BROADCAST_SECRET, TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET, LOG_LEVEL: 'trace' };
  const options = loggerOptions(loadConfig({ ...env, STUN_URLS: 'none' }, null), false) as object;
  const server = await startServer(env, { logger: { ...options, stream } });
  t.teardown(() => server.close());

  const good = await signToken(BROADCAST_SECRET, { room: 'logs', role: 'broadcaster' }, 3600);
  const bad = `${good.slice(0, -4)}AAAA`;
  const refused = await WsPeer.connect(server.wsUrl);
  refused.send({ type: 'join', room: 'logs', role: 'broadcaster', token: bad });
  await expectClose(t, refused, 'unauthorized', 1008);

  const b = await WsPeer.connect(`${server.wsUrl}?token=${good}`);
  b.send({ type: 'join', room: 'logs', role: 'broadcaster', token: good });
  const joined = await b.next('joined');
  const turnPassword = joined.iceServers.find((s) => s.credential)?.credential;
  t.ok(turnPassword, 'a TURN password was minted');
  const w = await WsPeer.joined(server.wsUrl, 'logs', 'watcher');
  const sdp = sdpFor('offer', 'secret-sdp-marker');
  b.send({ type: 'offer', to: w.joined.id, sdp });
  await w.peer.next('offer');
  const page = await fetch(`${server.httpUrl}/watch?room=logs&token=${good}`);
  t.equal(page.status, 200);
  await Promise.all([b.close(), w.peer.close()]);

  t.ok(logs.includes('join refused'), 'the bad login was logged');
  t.ok(logs.includes('"msg":"joined"'), 'the good login was logged');
  t.ok(logs.includes('/watch?…'), 'the page request was logged, without its query');
  for (const [what, secret] of [
    ['the good token', good],
    ['the bad token', bad],
    ['its signature', good.split('.')[2]!],
    ['the broadcast secret', BROADCAST_SECRET],
    ['the TURN secret', TURN_SECRET],
    ['the TURN password', turnPassword!],
    ['the SDP', 'secret-sdp-marker'],
  ] as const) {
    t.notOk(logs.includes(secret), `${what} is not in ${logs.split('\n').length} log lines`);
  }
});
