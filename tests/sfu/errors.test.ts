/** Janus's refusals and transport failures, as janode reports them, become SFU catalogue codes. */
import t from 'tap';
import { fromJanusError, SFU_ERRORS, SfuError } from '../../server/sfu/errors.ts';

/** An error as janode's VideoRoom plugin makes it. */
const pluginError = (code: number, reason: string) => Object.assign(new Error(`${code} ${reason}`), { _code: code });

t.test('Janus codes map to SFU codes', async (t) => {
  const cases: [unknown, string, number | null][] = [
    [new Error('403 Unauthorized request (wrong or missing secret/token)'), 'sfu_unauthorized', 403],
    [new Error('458 No such session 123'), 'sfu_unavailable', 458],
    [new Error('465 JSEP error: invalid SDP'), 'sfu_bad_sdp', 465],
    [pluginError(426, 'No such room (x)'), 'sfu_room_not_found', 426],
    [pluginError(428, 'No such feed (x)'), 'sfu_feed_not_found', 428],
    [pluginError(433, 'Unauthorized (wrong admin_key)'), 'sfu_unauthorized', 433],
    [pluginError(436, 'User ID exists'), 'sfu_refused', 436],
    [new Error('connection closed'), 'sfu_unavailable', null],
    [new Error('unexpected disconnection'), 'sfu_unavailable', null],
    [new Error('unexpected response to join request'), 'sfu_refused', null],
    ['a string', 'sfu_refused', null],
  ];
  for (const [input, code, janusCode] of cases) {
    const err = fromJanusError(input);
    t.ok(err instanceof SfuError, 'an SfuError');
    t.equal(err.code, code, `${String(input instanceof Error ? input.message : input)} → ${code}`);
    t.equal(err.janusCode, janusCode, 'with Janus\'s code when Janus answered');
    t.equal(err.cause, input, 'keeping the cause');
  }
});

t.test('an SfuError passes through; every code has a message and no close', async (t) => {
  const err = new SfuError('sfu_refused');
  t.equal(fromJanusError(err), err);
  for (const [code, entry] of Object.entries(SFU_ERRORS)) {
    t.ok(entry.message.length > 0, `${code} has a message`);
    t.equal(entry.close, null, `${code} does not close the client's connection`);
  }
});
