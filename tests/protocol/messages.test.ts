import t from 'tap';
import { IceCandidate, IceServer, LIMITS, PeerId, ROUTES, Role, RoomName } from '../../protocol/messages.ts';
import { parseClientMessage, parseServerMessage } from '../../protocol/parse.ts';
import { newPeerId } from '../../server/signaling/peer.ts';
import { CLIENT_EXAMPLES } from './examples.ts';

t.test('ROUTES covers every client message but join, and keeps the one-to-many roles', async (t) => {
  t.same(Object.keys(ROUTES).sort(), Object.keys(CLIENT_EXAMPLES).filter((type) => type !== 'join').sort());
  const watcherMay = Object.entries(ROUTES).filter(([, r]) => r.from !== 'broadcaster').map(([type]) => type);
  t.same(watcherMay.sort(), ['answer', 'chat', 'getBroadcast', 'hangup', 'iceAnswerCandidate', 'layerReport'], 'a watcher asks, answers, hangs up, chats and reports how its video plays: it never offers media, nor speaks for the room');
  for (const [type, route] of Object.entries(ROUTES)) {
    t.not(route.from, route.to, `${type} goes to the other role`);
    const addressed = 'to' in CLIENT_EXAMPLES[type as keyof typeof ROUTES];
    t.equal(addressed, route.to === 'watcher' || route.to === 'broadcaster', `${type} names its peer exactly when it goes to one`);
  }
});

t.test('layerReport: figures out of range, of the wrong type, missing or extra are refused with invalid_message', async (t) => {
  const good = CLIENT_EXAMPLES.layerReport;
  t.ok(parseClientMessage(JSON.stringify(good)).ok, 'the example');
  t.ok(parseClientMessage(JSON.stringify({ ...good, bandwidthKbps: 850, frameHeight: null, displayHeight: 0 })).ok, 'an estimate, no frame yet, hidden');
  const bad: [string, object][] = [
    ['loss above 100 %', { lossPercent: 101 }],
    ['negative loss', { lossPercent: -1 }],
    ['loss as a string', { lossPercent: '1' }],
    ['NaN-like freezes', { freezes: 0.5 }],
    ['a huge display', { displayHeight: 100_000 }],
    ['a fractional display height', { displayHeight: 360.5 }],
    ['a negative bandwidth', { bandwidthKbps: -5 }],
    ['an extra key', { layer: 2 }],
    ['a missing figure', { jitterBufferMs: undefined }],
  ];
  for (const [what, change] of bad) {
    const result = parseClientMessage(JSON.stringify({ ...good, ...change }));
    t.match(result, { ok: false, code: 'invalid_message', type: 'layerReport' }, what);
  }
});

t.test('LIMITS: each bound lets a message at it through and stops one past it', async (t) => {
  const client = (message: object) => parseClientMessage(JSON.stringify(message)).ok;
  const server = (message: object) => parseServerMessage(JSON.stringify(message)).ok;
  const id = newPeerId();
  t.ok(client({ type: 'join', role: 'watcher', token: 't'.repeat(LIMITS.tokenBytes) }), `a token of ${LIMITS.tokenBytes} bytes`);
  t.notOk(client({ type: 'join', role: 'watcher', token: 't'.repeat(LIMITS.tokenBytes + 1) }), 'one byte more');
  t.ok(client({ type: 'chat', text: 'x'.repeat(LIMITS.chatChars), name: 'n'.repeat(LIMITS.chatNameChars) }), 'chat text and name at their bounds');
  t.notOk(client({ type: 'chat', text: 'x'.repeat(LIMITS.chatChars + 1) }), 'chat text one character over');
  t.notOk(client({ type: 'chat', text: 'hi', name: 'n'.repeat(LIMITS.chatNameChars + 1) }), 'chat name one character over');
  const watcher = { id, state: 'connected', candidateType: 'host', rttMs: 1, bitrateKbps: 1000, fps: 30 };
  t.ok(client({ type: 'stats', watchers: Array(LIMITS.statsWatchers).fill(watcher) }), `a stats report of ${LIMITS.statsWatchers} watchers`);
  t.notOk(client({ type: 'stats', watchers: Array(LIMITS.statsWatchers + 1).fill(watcher) }), 'one watcher more');
  const entry = { type: 'chat', from: id, role: 'watcher', name: 'Ada', text: 'hi', at: 0 };
  t.ok(server({ type: 'chatHistory', enabled: true, messages: Array(LIMITS.chatHistory).fill(entry) }), `a history of ${LIMITS.chatHistory}`);
  t.notOk(server({ type: 'chatHistory', enabled: true, messages: Array(LIMITS.chatHistory + 1).fill(entry) }), 'one message more');
});

t.test('peer ids the server assigns are valid PeerIds', async (t) => {
  for (let i = 0; i < 100; i++) {
    const id = newPeerId();
    t.match(id, /^[A-Za-z0-9_-]{22}$/);
    t.ok(PeerId.safeParse(id).success);
  }
  t.notOk(PeerId.safeParse('seven77').success, 'too short');
  t.notOk(PeerId.safeParse('x'.repeat(65)).success, 'too long');
  t.notOk(PeerId.safeParse('abc/def+ghi=').success, 'base64, not base64url');
});

t.test('RoomName and Role', async (t) => {
  t.ok(RoomName.safeParse('main').success);
  t.notOk(RoomName.safeParse('').success);
  t.notOk(RoomName.safeParse('a b').success);
  t.same(Role.options, ['broadcaster', 'watcher']);
});

t.test('IceCandidate: RTCIceCandidate.toJSON() shapes', async (t) => {
  t.ok(IceCandidate.safeParse({ candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host' }).success, 'only candidate');
  t.ok(IceCandidate.safeParse({ candidate: '', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' }).success, 'end of candidates');
  t.notOk(IceCandidate.safeParse({ candidate: 'c', sdpMLineIndex: '0' }).success, 'index as a string');
});

t.test('IceServer', async (t) => {
  t.ok(IceServer.safeParse({ urls: ['stun:stun.example.org'] }).success);
  t.notOk(IceServer.safeParse({ urls: [] }).success, 'at least one URL');
  t.notOk(IceServer.safeParse({ urls: 'stun:stun.example.org' }).success, 'urls is a list');
  t.notOk(IceServer.safeParse({ urls: ['turn:x'], username: 'u', credential: 'c', credentialType: 'password' }).success, 'strict');
});

t.test('join: the optional getBroadcast flag of the fast join', async (t) => {
  const ok = parseClientMessage(JSON.stringify({ type: 'join', room: 'main', role: 'watcher', getBroadcast: true }));
  t.same(ok.ok && ok.message, { type: 'join', room: 'main', role: 'watcher', getBroadcast: true });
  const absent = parseClientMessage(JSON.stringify({ type: 'join', role: 'watcher' }));
  t.equal(absent.ok && absent.message.type === 'join' && absent.message.getBroadcast, undefined, 'absent by default');
  const bad = parseClientMessage(JSON.stringify({ type: 'join', role: 'watcher', getBroadcast: 'yes' }));
  t.match(bad, { ok: false, type: 'join' }, 'a flag that is not a boolean is refused');
});
