import t, { type Test } from 'tap';
import { ERRORS, ERROR_CODES } from '../../protocol/errors.ts';
import { LIMITS } from '../../protocol/messages.ts';
import { parseClientMessage, parseServerMessage, type ParseResult } from '../../protocol/parse.ts';
import { BROADCASTER_ID, CANDIDATE, CLIENT_EXAMPLES, OFFER_SDP, SERVER_EXAMPLES, WATCHER_ID } from './examples.ts';

const json = (value: unknown): string => JSON.stringify(value);

/** Assert a rejection with `code` (and `type` when given), and return it. */
function rejects<T>(t: Test, result: ParseResult<T>, code: string, type?: string): void {
  if (result.ok) {
    t.fail(`expected ${code}, got a message`, { found: result.message });
    return;
  }
  t.equal(result.code, code);
  t.equal(result.type, type, 'reports the type only for a known one');
  t.type(result.detail, 'string');
  t.ok(result.detail.length > 0, 'has a detail');
}

t.test('every client message type is accepted', async (t) => {
  for (const [type, message] of Object.entries(CLIENT_EXAMPLES)) {
    const result = parseClientMessage(json(message));
    t.ok(result.ok, type);
    if (result.ok) t.same(result.message, message, type);
  }
});

t.test('every server message type is accepted', async (t) => {
  for (const [type, message] of Object.entries(SERVER_EXAMPLES)) {
    const result = parseServerMessage(json(message));
    t.ok(result.ok, type);
    if (result.ok) t.same(result.message, message, type);
  }
});

t.test('optional and nullable fields', async (t) => {
  const join = parseClientMessage(json({ type: 'join', role: 'broadcaster' }));
  t.same(join.ok && join.message, { type: 'join', room: 'main', role: 'broadcaster' }, 'room defaults to "main"');
  t.ok(parseClientMessage(json({ type: 'join', room: 'r', role: 'watcher', token: 'abc' })).ok, 'join with a token');
  const endOfCandidates = { candidate: '', sdpMid: '0', sdpMLineIndex: 0 };
  t.ok(parseClientMessage(json({ type: 'iceOfferCandidate', to: WATCHER_ID, candidate: endOfCandidates })).ok, 'end-of-candidates (empty candidate)');
  const bare = { candidate: CANDIDATE.candidate, sdpMid: null, sdpMLineIndex: null, usernameFragment: null };
  t.ok(parseClientMessage(json({ type: 'iceAnswerCandidate', to: BROADCASTER_ID, candidate: bare })).ok, 'null sdpMid/sdpMLineIndex/ufrag');
  t.ok(parseServerMessage(json({ ...SERVER_EXAMPLES.joined, broadcaster: null, iceServers: [], iceTransportPolicy: 'relay' })).ok, 'joined with no broadcaster, no ICE servers, relay only');
  for (const code of ERROR_CODES) {
    t.ok(parseServerMessage(json({ type: 'error', code, message: ERRORS[code].message })).ok, `error ${code}`);
  }
});

t.test('malformed JSON is bad_json', async (t) => {
  for (const text of ['', ' ', '{', '{"type":"join",}', "{'type':'join'}", 'undefined', 'NaN', '{"type":"join"}x', '\u0000']) {
    rejects(t, parseClientMessage(text), 'bad_json');
    rejects(t, parseServerMessage(text), 'bad_json');
  }
});

t.test('a frame that is not a JSON object is invalid_message', async (t) => {
  for (const text of ['[]', json([CLIENT_EXAMPLES.join]), '42', '"join"', 'null', 'true']) {
    rejects(t, parseClientMessage(text), 'invalid_message');
    rejects(t, parseServerMessage(text), 'invalid_message');
  }
});

t.test('a missing or non-string type is unknown_type', async (t) => {
  for (const text of ['{}', '{"room":"main","role":"watcher"}', '{"type":null}', '{"type":42}', '{"type":["join"]}', '{"type":{"type":"join"}}']) {
    rejects(t, parseClientMessage(text), 'unknown_type');
  }
});

t.test('an unknown type is unknown_type', async (t) => {
  for (const type of ['hello', 'JOIN', 'Join', ' join', 'joined', 'viewerCount', 'error', '__proto__', 'constructor', 'toString']) {
    rejects(t, parseClientMessage(json({ type, role: 'watcher' })), 'unknown_type');
  }
  for (const type of ['join', 'hello', 'hasOwnProperty']) {
    rejects(t, parseServerMessage(json({ type })), 'unknown_type');
  }
});

t.test('SDP limits', async (t) => {
  const sized = (length: number): string => `v=0\r\na=${'x'.repeat(length - 7)}`;
  t.equal(sized(LIMITS.sdpBytes).length, LIMITS.sdpBytes);
  t.ok(parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: sized(LIMITS.sdpBytes) })).ok, 'exactly sdpBytes');
  rejects(t, parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: sized(LIMITS.sdpBytes + 1) })), 'invalid_message', 'offer');
  rejects(t, parseClientMessage(json({ type: 'answer', to: BROADCASTER_ID, sdp: 'x'.repeat(200_000) })), 'invalid_message', 'answer');
  rejects(t, parseServerMessage(json({ type: 'offer', from: BROADCASTER_ID, sdp: sized(LIMITS.sdpBytes + 1) })), 'invalid_message', 'offer');

  const lines = (count: number): string => Array.from({ length: count }, () => 'a=x').join('\n');
  t.ok(parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: lines(LIMITS.sdpLines) })).ok, 'exactly sdpLines lines');
  rejects(t, parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: lines(LIMITS.sdpLines + 1) })), 'invalid_message', 'offer');
  rejects(t, parseClientMessage(json({ type: 'answer', to: BROADCASTER_ID, sdp: '\n'.repeat(5000) })), 'invalid_message', 'answer');
  rejects(t, parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: '' })), 'invalid_message', 'offer');
});

t.test('candidate limits', async (t) => {
  const at = (length: number) => ({ ...CANDIDATE, candidate: `candidate:${'1'.repeat(length - 10)}` });
  t.ok(parseClientMessage(json({ type: 'iceOfferCandidate', to: WATCHER_ID, candidate: at(LIMITS.candidateBytes) })).ok, 'exactly candidateBytes');
  rejects(t, parseClientMessage(json({ type: 'iceOfferCandidate', to: WATCHER_ID, candidate: at(LIMITS.candidateBytes + 1) })), 'invalid_message', 'iceOfferCandidate');
  for (const candidate of [{ ...CANDIDATE, sdpMLineIndex: -1 }, { ...CANDIDATE, sdpMLineIndex: 0.5 }, { ...CANDIDATE, sdpMLineIndex: 1024 }, { ...CANDIDATE, sdpMid: 'm'.repeat(65) }, { sdpMid: '0' }, 'candidate:1 1 udp 1 192.0.2.1 1 typ host']) {
    rejects(t, parseClientMessage(json({ type: 'iceAnswerCandidate', to: BROADCASTER_ID, candidate })), 'invalid_message', 'iceAnswerCandidate');
  }
});

t.test('join: bad room names, roles and tokens', async (t) => {
  for (const room of ['', 'a'.repeat(65), 'has space', 'ünïcode', 'a/b', '../x', 'room.1', 'x\n', 42, null]) {
    rejects(t, parseClientMessage(json({ type: 'join', room, role: 'watcher' })), 'invalid_message', 'join');
  }
  for (const room of ['a', 'a'.repeat(64), 'Room_1-b']) {
    t.ok(parseClientMessage(json({ type: 'join', room, role: 'watcher' })).ok, `room ${room.slice(0, 8)}`);
  }
  for (const role of ['admin', 'Watcher', '', undefined]) {
    rejects(t, parseClientMessage(json({ type: 'join', room: 'main', role })), 'invalid_message', 'join');
  }
  rejects(t, parseClientMessage(json({ type: 'join', role: 'watcher', token: 't'.repeat(LIMITS.tokenBytes + 1) })), 'invalid_message', 'join');
});

t.test('addresses must be peer ids', async (t) => {
  for (const to of ['', 'short', 'has space here!', 'x'.repeat(65), 42, null, undefined]) {
    rejects(t, parseClientMessage(json({ type: 'getBroadcast', to })), 'invalid_message', 'getBroadcast');
  }
});

t.test('extra keys are rejected: a client cannot forge `from`', async (t) => {
  const forged = [
    { ...CLIENT_EXAMPLES.offer, from: BROADCASTER_ID },
    { ...CLIENT_EXAMPLES.answer, from: WATCHER_ID },
    { ...CLIENT_EXAMPLES.getBroadcast, from: WATCHER_ID },
    { ...CLIENT_EXAMPLES.iceOfferCandidate, from: BROADCASTER_ID },
    { ...CLIENT_EXAMPLES.iceAnswerCandidate, from: WATCHER_ID },
    { ...CLIENT_EXAMPLES.broadcastAvailable, from: BROADCASTER_ID },
    { ...CLIENT_EXAMPLES.join, id: WATCHER_ID },
    { ...CLIENT_EXAMPLES.offer, extra: true },
    { ...CLIENT_EXAMPLES.iceOfferCandidate, candidate: { ...CANDIDATE, foo: 1 } },
  ];
  for (const message of forged) rejects(t, parseClientMessage(json(message)), 'invalid_message', message.type);
  // A server message as a client would send it (with `to`) is not a server message either.
  rejects(t, parseServerMessage(json({ ...SERVER_EXAMPLES.offer, to: WATCHER_ID })), 'invalid_message', 'offer');
  rejects(t, parseServerMessage(json(CLIENT_EXAMPLES.offer)), 'invalid_message', 'offer');
  rejects(t, parseServerMessage(json({ type: 'error', code: 'no_such_code', message: 'x' })), 'invalid_message', 'error');
});

t.test('a known type that fails reports its type and the failing field', async (t) => {
  const result = parseClientMessage(json({ type: 'offer', to: WATCHER_ID, sdp: 42 }));
  rejects(t, result, 'invalid_message', 'offer');
  t.match(!result.ok && result.detail, /offer/);
  t.match(!result.ok && result.detail, /sdp/);
});

t.test('a rejection detail is short and fits an `error` message, whatever the client sent', async (t) => {
  const manyKeys = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, i]));
  for (const message of [
    { ...CLIENT_EXAMPLES.offer, ['k'.repeat(5000)]: 1 },
    { ...CLIENT_EXAMPLES.join, ...manyKeys },
    { ...CLIENT_EXAMPLES.iceOfferCandidate, candidate: { ...CANDIDATE, ...manyKeys } },
  ]) {
    const result = parseClientMessage(json(message));
    rejects(t, result, 'invalid_message', message.type);
    if (result.ok) continue;
    t.ok(result.detail.length <= 200, `${message.type}: detail of ${result.detail.length} characters`);
    t.ok(parseServerMessage(json({ type: 'error', code: result.code, message: result.detail })).ok, 'a valid error message');
  }
});

t.test('never throws on odd input', async (t) => {
  const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
  const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  const huge = 'x'.repeat(5_000_000);
  const texts = [
    deepArray,
    deepObject,
    `{"type":${deepArray}}`,
    `{"type":${deepObject}}`,
    `{"type":"join","role":"watcher","token":${deepArray}}`,
    `{"type":"join","role":${deepObject}}`,
    `{"type":"offer","to":"${WATCHER_ID}","sdp":${deepArray}}`,
    `{"type":"offer","to":"${WATCHER_ID}","sdp":"x","extra":${deepObject}}`,
    `{"type":"iceOfferCandidate","to":"${WATCHER_ID}","candidate":${deepObject}}`,
    `{"type":"error","code":${deepArray},"message":"x"}`,
    json(huge),
    json({ type: huge }),
    json({ type: 'offer', to: huge, sdp: huge }),
    json({ type: 'join', role: 'watcher', room: huge }),
    '1e400',
    '-0',
    '"\\ud800"',
    json({ type: '\ud800' }),
    '{"__proto__":{"type":"join","role":"watcher"}}',
    '{"type":"join","role":"watcher","__proto__":{"admin":true}}',
    '{"type":"join","role":"watcher","constructor":{"prototype":{}}}',
    '\uFEFF{"type":"join","role":"watcher"}',
  ];
  for (const [i, text] of texts.entries()) {
    for (const parse of [parseClientMessage, parseServerMessage]) {
      let result: ParseResult<unknown> | undefined;
      t.doesNotThrow(() => (result = parse(text)), `input ${i} (${parse.name})`);
      t.equal(result?.ok, false, `input ${i} is rejected (${parse.name})`);
      if (result && !result.ok) {
        t.ok(result.code in ERRORS, `input ${i} has a catalogue code`);
        t.ok(result.detail.length < 2000, `input ${i}: the detail does not echo the input`);
      }
    }
  }
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype pollution');
});

t.test('every truncation of every example is handled', async (t) => {
  let rejected = 0;
  for (const message of [...Object.values(CLIENT_EXAMPLES), ...Object.values(SERVER_EXAMPLES)]) {
    const text = json(message);
    for (let end = 0; end < text.length; end++) {
      const client = parseClientMessage(text.slice(0, end));
      const server = parseServerMessage(text.slice(0, end));
      if (!client.ok && !server.ok) rejected++;
    }
  }
  const total = [...Object.values(CLIENT_EXAMPLES), ...Object.values(SERVER_EXAMPLES)].reduce((n, m) => n + json(m).length, 0);
  t.equal(rejected, total, 'no proper prefix of a message parses');
  t.ok(OFFER_SDP.endsWith('\r\n'));
});
