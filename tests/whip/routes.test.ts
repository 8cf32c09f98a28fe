/**
 * The WHIP endpoint over plain HTTP, with the real Janus (managed, on the test namespace's veth): every error path
 * (missing, wrong-room, watcher and garbage tokens; wrong content type; a 1 MiB body; unreadable SDP; a codec the
 * room cannot carry; a second publisher; entity tags; ICE restarts; someone else's resource; a replayed resource URL
 * after DELETE; other methods; no SFU) and the happy path's headers (Location, ETag, Accept-Patch, Link with minted
 * TURN credentials), the publisher shown as the room's broadcaster in /api/rooms, and DELETE telling watchers.
 */
import t from 'tap';
import { RoomsReport } from '../../protocol/rooms-report.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { startServer } from '../helpers/server.ts';
import { candidateFrag, encoderOffer, whip } from '../helpers/whip.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

const SECRET = 'whip-test-broadcast-secret-0123456789';
const TURN_SECRET = 'whip-test-turn-secret';
const SDP = 'application/sdp';
const SDPFRAG = 'application/trickle-ice-sdpfrag';

t.test('without an SFU: 503 whip_no_sfu, saying WHIP needs one', async (t) => {
  const server = await startServer({ SFU: 'off' });
  t.teardown(() => server.close());
  // Protected mode, from loopback: allowed to publish, but there is nothing to publish into.
  const res = await whip(`${server.httpUrl}/whip/room1`, { method: 'POST', type: SDP, body: encoderOffer() });
  t.equal(res.status, 503);
  t.equal(res.error?.code, 'whip_no_sfu');
  t.match(res.error?.message, /needs the media server/);
});

const skip = sfuSkipReason();
if (skip) {
  t.test('with Janus', { skip }, async () => {});
} else {
  const server = await startServer({
    SFU: 'janus',
    JANUS_INTERFACE: SFU_INTERFACE,
    BROADCAST_SECRET: SECRET,
    TURN_URLS: 'turn:10.77.0.1:3478?transport=udp',
    TURN_SECRET,
  });
  t.teardown(() => server.close());
  const endpoint = (room: string) => `${server.httpUrl}/whip/${room}`;
  const token = (room: string, role: 'broadcaster' | 'watcher' = 'broadcaster') => signToken(SECRET, { room, role }, 600);
  const good = await token('main');

  t.test('authorization: 401 without a token, 403 for a bad one, one message for every reason', async (t) => {
    const none = await whip(endpoint('main'), { method: 'POST', type: SDP, body: encoderOffer() });
    t.equal(none.status, 401);
    t.equal(none.headers.get('www-authenticate'), 'Bearer');
    t.equal(none.error?.code, 'unauthorized');
    const messages = new Set([none.error?.message]);
    for (const [what, bad] of [
      ['another room', await token('other')],
      ['a watcher token', await token('main', 'watcher')],
      ['garbage', 'not-a-token'],
      ['a token signed with another secret', await signToken('another-secret-0123456789', { room: 'main', role: 'broadcaster' }, 600)],
    ] as const) {
      const res = await whip(endpoint('main'), { method: 'POST', token: bad, type: SDP, body: encoderOffer() });
      t.equal(res.status, 403, `${what}: 403`);
      t.equal(res.error?.code, 'unauthorized', `${what}: unauthorized`);
      messages.add(res.error?.message);
    }
    t.equal(messages.size, 1, 'the body never says which check failed');
  });

  t.test('415 for a body that is not application/sdp, 413 for a 1 MiB body', async (t) => {
    for (const type of ['text/plain', 'application/json', SDPFRAG]) {
      const res = await whip(endpoint('main'), { method: 'POST', token: good, type, body: type === 'application/json' ? '{}' : encoderOffer() });
      t.equal(res.status, 415, type);
      t.equal(res.error?.code, 'whip_unsupported_media_type', type);
    }
    const noBody = await whip(endpoint('main'), { method: 'POST', token: good });
    t.equal(noBody.status, 415, 'no body');
    const huge = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: `v=0\r\n${'a=x\r\n'.repeat(1024 * 1024 / 5)}` });
    t.equal(huge.status, 413);
    t.equal(huge.error?.code, 'whip_body_too_large');
  });

  t.test('400 for unreadable SDP and for a codec the room cannot carry', async (t) => {
    const unreadable = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: 'hello, Janus' });
    t.equal(unreadable.status, 400);
    t.equal(unreadable.error?.code, 'whip_bad_sdp');
    for (const codec of ['AV1', 'H265']) {
      const res = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: encoderOffer({ video: codec }) });
      t.equal(res.status, 400, codec);
      t.equal(res.error?.code, 'whip_unsupported_codec', codec);
      t.match(res.error?.message, new RegExp(`${codec}.*VP8 or H264`), `${codec}: the body says what is carried`);
    }
  });

  t.test('405 with Allow for other methods; CORS preflight', async (t) => {
    const get = await whip(endpoint('main'), { method: 'GET' });
    t.equal(get.status, 405);
    t.equal(get.error?.code, 'whip_method_not_allowed');
    t.equal(get.headers.get('allow'), 'POST, OPTIONS');
    const put = await whip(`${endpoint('main')}/abc`, { method: 'PUT' });
    t.equal(put.status, 405);
    t.equal(put.headers.get('allow'), 'PATCH, DELETE, OPTIONS');
    const pre = await whip(endpoint('main'), {
      method: 'OPTIONS',
      headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    t.equal(pre.status, 204);
    t.equal(pre.headers.get('access-control-allow-origin'), '*');
    t.match(pre.headers.get('access-control-allow-methods'), /PATCH/);
    t.match(pre.headers.get('access-control-allow-headers'), /Authorization/);
    const options = await whip(endpoint('main'), { method: 'OPTIONS', token: good });
    t.equal(options.status, 204);
    t.match(options.headers.get('link'), /rel="ice-server"; username="\d+:[^"]+"; credential="[^"]+"; credential-type="password"/, 'authorized OPTIONS: TURN in Link');
    const anonymous = await whip(endpoint('main'), { method: 'OPTIONS' });
    t.equal(anonymous.headers.get('link'), null, 'no ICE servers (and no TURN credentials) without a token');
  });

  const watcher = await WsPeer.joined(server.wsUrl, 'main', 'watcher');
  t.teardown(() => watcher.peer.close());
  const ufrag = 'encoderufrag';
  let location = '';
  let etag = '';

  t.test('201: the answer, Location, ETag, Accept-Patch, Link with TURN credentials; the room is live on the SFU', async (t) => {
    const res = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: encoderOffer({ ufrag }) });
    t.equal(res.status, 201, res.body.slice(0, 200));
    t.equal(res.headers.get('content-type'), SDP);
    t.match(res.body, /^v=0\r\n/);
    t.match(res.body, /a=rtpmap:\d+ H264\/90000/, 'Janus took H.264');
    t.match(res.body, /a=rtpmap:\d+ opus\/48000/, 'and Opus');
    location = res.headers.get('location') ?? '';
    t.match(location, /^\/whip\/main\/[A-Za-z0-9_-]{22}$/);
    etag = res.headers.get('etag') ?? '';
    t.match(etag, /^"[^"]+"$/, 'a strong, quoted ETag');
    t.equal(res.headers.get('accept-patch'), SDPFRAG);
    t.match(res.headers.get('link'), /^<turn:10\.77\.0\.1:3478\?transport=udp>; rel="ice-server"; username="\d+:[^"]+"; credential="[^"]+"; credential-type="password"$/);
    const available = await watcher.peer.next('broadcastAvailable');
    t.ok(available.from, 'watchers are told broadcastAvailable');
    const report = RoomsReport.parse(await (await fetch(`${server.httpUrl}/api/rooms`)).json());
    t.match(report.rooms.find((r) => r.name === 'main'), { live: true, broadcaster: true, path: 'sfu' }, '/api/rooms: a live broadcaster, through the SFU');
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    t.match(metrics, /onair_rooms\{state="live"\} 1/, '/metrics: one live room');
    t.match(metrics, /onair_room_viewers_by_path\{room="main",path="sfu"\} 1/, '/metrics: its watcher through the SFU');
  });

  t.test('409 for a second publisher', async (t) => {
    const res = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: encoderOffer() });
    t.equal(res.status, 409);
    t.equal(res.error?.code, 'broadcaster_exists');
  });

  t.test('PATCH: trickle, entity tags, ICE restarts, content type', async (t) => {
    const url = `${server.httpUrl}${location}`;
    const patch = (headers: Record<string, string>, body = candidateFrag(ufrag), type = SDPFRAG) => whip(url, { method: 'PATCH', token: good, type, body, headers });
    t.equal((await patch({ 'if-match': etag })).status, 204, 'If-Match with the ETag: 204');
    t.equal((await patch({ etag })).status, 204, 'an ETag request header (Eyevinn) with the ETag: 204');
    t.equal((await patch({})).status, 204, 'no entity tag: accepted (lenient)');
    for (const headers of [{ 'if-match': '"stale"' }, { etag: '"stale"' }, { 'if-match': `W/${etag}` }] as Record<string, string>[]) {
      const res = await patch(headers);
      t.equal(res.status, 412, `${JSON.stringify(headers)}: 412`);
      t.equal(res.error?.code, 'whip_precondition_failed');
    }
    const restart = await patch({ 'if-match': '*' }, candidateFrag('newufrag'));
    t.equal(restart.status, 422);
    t.equal(restart.error?.code, 'whip_ice_restart_unsupported');
    t.equal((await patch({}, candidateFrag('newufrag'))).status, 422, 'a new ufrag is a restart: 422');
    t.equal((await patch({}, candidateFrag(ufrag), SDP)).status, 415, 'application/sdp: 415');
    t.equal((await patch({}, 'garbage')).status, 400, 'unreadable fragment: 400');
  });

  t.test("someone else's resource: another room's token 403, under another room's URL 404, unknown 404", async (t) => {
    const other = await token('other');
    const url = `${server.httpUrl}${location}`;
    const theirs = await whip(url, { method: 'PATCH', token: other, type: SDPFRAG, body: candidateFrag(ufrag) });
    t.equal(theirs.status, 403);
    const moved = await whip(`${server.httpUrl}${location.replace('/main/', '/other/')}`, { method: 'PATCH', token: other, type: SDPFRAG, body: candidateFrag(ufrag) });
    t.equal(moved.status, 404);
    t.equal(moved.error?.code, 'whip_not_found');
    const unknown = await whip(`${endpoint('main')}/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'DELETE', token: good });
    t.equal(unknown.status, 404);
    t.equal((await whip(url, { method: 'DELETE', token: other })).status, 403, "DELETE with another room's token: 403");
  });

  t.test('DELETE ends the broadcast: watchers told broadcastEnded; the URL replayed is 404', async (t) => {
    const url = `${server.httpUrl}${location}`;
    const res = await whip(url, { method: 'DELETE', token: good });
    t.equal(res.status, 200);
    const ended = await watcher.peer.next('broadcastEnded');
    t.ok(ended.id, 'broadcastEnded');
    t.equal((await whip(url, { method: 'DELETE', token: good })).status, 404, 'DELETE again: 404');
    t.equal((await whip(url, { method: 'PATCH', token: good, type: SDPFRAG, body: candidateFrag(ufrag) })).status, 404, 'PATCH after: 404');
    const report = RoomsReport.parse(await (await fetch(`${server.httpUrl}/api/rooms`)).json());
    t.notOk(report.rooms.find((r) => r.name === 'main')?.live, 'the room is no longer live');
    const again = await whip(endpoint('main'), { method: 'POST', token: good, type: SDP, body: encoderOffer() });
    t.equal(again.status, 201, 'the room takes a new publisher');
    await whip(`${server.httpUrl}${again.headers.get('location')}`, { method: 'DELETE', token: good });
  });
}

if (!skip) {
  t.test('429: more live sessions from one address than MAX_CONNECTIONS_PER_IP, more requests than its budget', async (t) => {
    const server = await startServer({ SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MAX_CONNECTIONS_PER_IP: '1', MESSAGE_RATE_PER_S: '0.01', MESSAGE_BURST: '4' });
    t.teardown(() => server.close());
    // Protected mode, from loopback: no token needed.
    const first = await whip(`${server.httpUrl}/whip/a`, { method: 'POST', type: SDP, body: encoderOffer() });
    t.equal(first.status, 201, 'one session');
    const second = await whip(`${server.httpUrl}/whip/b`, { method: 'POST', type: SDP, body: encoderOffer() });
    t.equal(second.status, 429, 'a second one from the same address: 429');
    t.equal(second.error?.code, 'rate_limited');
    t.match(second.error?.message, /MAX_CONNECTIONS_PER_IP/);
    t.equal((await whip(`${server.httpUrl}/whip/a`, { method: 'OPTIONS' })).status, 204, 'the budget: a third request');
    t.equal((await whip(`${server.httpUrl}/whip/a`, { method: 'OPTIONS' })).status, 204, 'a fourth');
    const fifth = await whip(`${server.httpUrl}/whip/a`, { method: 'OPTIONS' });
    t.equal(fifth.status, 429, 'the fifth: 429');
    t.match(fifth.error?.message, /too many requests/);
  });
}
