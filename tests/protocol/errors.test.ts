import t from 'tap';
import { CLOSE, CLOSE_NO_RETRY, ERRORS, ERROR_CODES, ProtocolError } from '../../protocol/errors.ts';

t.test('the catalogue: stable codes, messages, close codes the server uses', async (t) => {
  t.same(ERROR_CODES, Object.keys(ERRORS));
  const closeCodes = new Set<number>(Object.values(CLOSE));
  for (const [code, { message, close }] of Object.entries(ERRORS)) {
    t.match(code, /^[a-z_]+$/, `${code} is snake_case`);
    t.ok(message.length > 0, `${code} has a message`);
    t.ok(close === null || closeCodes.has(close), `${code} closes with a known code`);
  }
});

t.test('errors that end the connection', async (t) => {
  const closing = Object.fromEntries(Object.entries(ERRORS).filter(([, e]) => e.close !== null).map(([code, e]) => [code, e.close]));
  t.same(closing, {
    invalid_join: 1008,
    broadcaster_exists: 1008,
    join_timeout: 1008,
    room_full: 1013,
    binary_frame: 1003,
    protocol_violation: 1008,
    internal_error: 1011,
    unauthorized: 1008,
    rate_limited: 1008,
    broadcaster_replaced: 1008,
    resumed_elsewhere: 1008,
  });
  for (const code of CLOSE_NO_RETRY) t.not(ERRORS[code].close, null, `${code} (no retry) closes the connection`);
  t.same(CLOSE, { goingAway: 1001, unsupportedData: 1003, policyViolation: 1008, messageTooBig: 1009, internalError: 1011, tryAgainLater: 1013 });
});

t.test('ProtocolError', async (t) => {
  const cause = new Error('socket closed');
  const err = new ProtocolError('broadcaster_exists', undefined, { cause });
  t.ok(err instanceof Error);
  t.equal(err.name, 'ProtocolError');
  t.equal(err.code, 'broadcaster_exists');
  t.equal(err.message, ERRORS.broadcaster_exists.message, 'defaults to the catalogue message');
  t.equal(err.cause, cause);
  t.equal(new ProtocolError('forbidden', 'A watcher may not send "offer".').message, 'A watcher may not send "offer".');
});
