/**
 * Resume on one server: a peer whose socket dropped gets its id back with its resume token, on the same server or
 * after a restart with no state, and the room's other peers are told nothing; forged, expired and misused tokens are
 * refused with their catalogue codes and the connection stays open for a fresh join.
 */
import t from 'tap';
import { signResumeToken } from '../../server/auth/resume-token.ts';
import { startServer, TEST_RESUME_SECRET } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { candidateFor, expectClose, PEER_ID, sdpFor, TEST_OPTIONS, typesOf, until } from './helpers.ts';

const KEY = new TextEncoder().encode(TEST_RESUME_SECRET);

/** Join, and wait for the resume token that follows `joined`. */
async function joinedWithToken(url: string, room: string, role: 'broadcaster' | 'watcher') {
  const { peer, joined } = await WsPeer.joined(url, room, role);
  const { token } = await peer.next('resumeToken');
  return { peer, joined, token };
}

/** Open a socket and join with `resume`. */
async function resume(url: string, room: string, role: 'broadcaster' | 'watcher', token: string) {
  const peer = await WsPeer.connect(url);
  peer.send({ type: 'join', room, role, resume: token });
  return peer;
}

t.test('a watcher whose socket dropped resumes its id; the broadcaster hears no watcherLeft and reaches it', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'r', 'broadcaster');
  const { peer: w, joined: wj, token } = await joinedWithToken(server.wsUrl, 'r', 'watcher');
  w.socket.terminate(); // no close frame: the way a lost network looks
  await w.closed;

  const back = await resume(server.wsUrl, 'r', 'watcher', token);
  const joined = await back.next('joined');
  t.equal(joined.id, wj.id, 'the same peer id');
  t.equal(joined.resumed, true);
  t.match((await back.next('resumeToken')).token, /^ey/, 'a new resume token');

  b.send({ type: 'offer', to: wj.id, sdp: sdpFor('offer', wj.id) });
  t.equal((await back.next('offer')).from, bj.id, 'a message for the id reaches the new socket');
  back.send({ type: 'iceAnswerCandidate', to: bj.id, candidate: candidateFor(wj.id) });
  await until(b, 'iceAnswerCandidate');
  t.notOk(typesOf(b).includes('watcherLeft'), 'the broadcaster was never told the watcher left');
  await Promise.all([b.close(), back.close()]);
});

t.test('a lost watcher that does not come back is reported gone after the grace; one that closed, at once', TEST_OPTIONS, async (t) => {
  const server = await startServer({}, { resumeGraceMs: 300 });
  t.teardown(() => server.close());
  const { peer: b } = await WsPeer.joined(server.wsUrl, 'gone', 'broadcaster');
  const { peer: lost, joined: lj } = await WsPeer.joined(server.wsUrl, 'gone', 'watcher');
  const { peer: closed, joined: cj } = await WsPeer.joined(server.wsUrl, 'gone', 'watcher');
  lost.socket.terminate();
  await closed.close();
  t.same(await b.next('watcherLeft'), { type: 'watcherLeft', id: cj.id }, 'the one that closed (1000) first');
  t.same(await b.next('watcherLeft'), { type: 'watcherLeft', id: lj.id }, 'the lost one after the grace');
  await b.close();
});

t.test('an old socket still open is closed with resumed_elsewhere; a broadcaster resumes its room', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { peer: b, joined: bj, token } = await joinedWithToken(server.wsUrl, 'r2', 'broadcaster');
  b.send({ type: 'broadcastAvailable' });
  const { peer: w } = await WsPeer.joined(server.wsUrl, 'r2', 'watcher');

  const back = await resume(server.wsUrl, 'r2', 'broadcaster', token);
  t.equal((await back.next('joined')).id, bj.id, 'the broadcaster has its id back');
  await expectClose(t, b, 'resumed_elsewhere', 1008);
  back.send({ type: 'broadcastAvailable' });
  t.equal((await w.next('broadcastAvailable')).from, bj.id);
  t.notOk(typesOf(w).includes('broadcastEnded'), 'the watcher never heard the broadcast end');
  await Promise.all([w.close(), back.close()]);
});

t.test('after a restart with no state, the same key resumes the same ids', TEST_OPTIONS, async (t) => {
  let server = await startServer();
  const port = String(new URL(server.httpUrl).port);
  const { peer: w, joined: wj, token } = await joinedWithToken(server.wsUrl, 'r3', 'watcher');
  await server.close();
  await w.closed;
  server = await startServer({ PORT: port });
  t.teardown(() => server.close());
  const back = await resume(server.wsUrl, 'r3', 'watcher', token);
  const joined = await back.next('joined');
  t.same([joined.id, joined.resumed], [wj.id, true]);
  await back.close();
});

t.test('forged, expired, misused: refused with a catalogue code, and a fresh join works on the same socket', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { peer: w, joined: wj, token } = await joinedWithToken(server.wsUrl, 'r4', 'watcher');
  await w.close();
  const other = new TextEncoder().encode('another-key-of-at-least-32-bytes!!');
  const cases = [
    { name: 'signed with another key', token: await signResumeToken(other, { peer: wj.id, room: 'r4', role: 'watcher' }), code: 'resume_invalid' },
    { name: 'payload changed under the signature', token: token.replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ room: 'r4', role: 'watcher', sub: 'AAAAAAAAAAAAAAAAAAAAAA', aud: 'onair-resume', exp: 4e9 })).toString('base64url')}.`), code: 'resume_invalid' },
    { name: 'garbage', token: 'not-a-token', code: 'resume_invalid' },
    { name: 'expired', token: await signResumeToken(KEY, { peer: wj.id, room: 'r4', role: 'watcher' }, 60, Date.now() - 120_000), code: 'resume_expired' },
    { name: 'for another role', token: await signResumeToken(KEY, { peer: wj.id, room: 'r4', role: 'broadcaster' }), code: 'resume_invalid' },
  ];
  for (const c of cases) {
    const peer = await resume(server.wsUrl, 'r4', 'watcher', c.token);
    t.match(await peer.next('error'), { code: c.code }, c.name);
    peer.send({ type: 'join', room: 'r4', role: 'watcher' });
    const fresh = await peer.next('joined');
    t.ok(PEER_ID.test(fresh.id) && fresh.id !== wj.id && !fresh.resumed, `${c.name}: a fresh join gets a new id`);
    await peer.close();
  }
  const wrongRoom = await resume(server.wsUrl, 'elsewhere', 'watcher', token);
  t.match(await wrongRoom.next('error'), { code: 'resume_invalid' }, 'a token for another room');
  await wrongRoom.close();
});

t.test('a connected peer gets a fresh resume token every third of its lifetime', TEST_OPTIONS, async (t) => {
  const server = await startServer({}, { resumeTtlS: 3 });
  t.teardown(() => server.close());
  const { peer, token } = await joinedWithToken(server.wsUrl, 'r5', 'watcher');
  const refreshed = await until(peer, 'resumeToken', (m) => m.token !== token);
  t.not(refreshed.token, token);
  await peer.close();
});
