/**
 * `/metrics` over real HTTP, parsed as Prometheus text format, after real relay traffic over real sockets: sockets by
 * role, rooms live, watchers per room (bounded labels), messages relayed by type with their latency histogram,
 * rejections by error code, TURN credentials issued, what broadcasters report they deliver, process metrics.
 */
import t from 'tap';
import { MAX_ROOM_LABELS, OTHER_ROOMS } from '../../server/ops/metrics.ts';
import { scrape, samples, value } from '../helpers/prometheus.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { fullExchange, TEST_OPTIONS } from '../signaling/helpers.ts';

t.test('relay traffic shows in /metrics', TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { broadcaster, watchers } = await fullExchange(t, server.wsUrl, 'metrics-a', 2);
  const other = await WsPeer.joined(server.wsUrl, 'metrics-b', 'watcher');
  const unjoined = await WsPeer.connect(server.wsUrl);
  unjoined.send('not json');
  await unjoined.next('error');
  broadcaster.peer.send({ type: 'offer', to: other.joined.id, sdp: 'v=0' });
  await broadcaster.peer.next('error');
  broadcaster.peer.send({
    type: 'stats',
    watchers: [
      { id: watchers[0]!.id, state: 'connected', candidateType: 'host', rttMs: 1.5, bitrateKbps: 1200, fps: 30 },
      { id: watchers[1]!.id, state: 'connected', candidateType: 'relay', rttMs: 20, bitrateKbps: 800, fps: 20 },
      { id: 'gone-watcher-id', state: 'failed', candidateType: null, rttMs: null, bitrateKbps: 0, fps: 0 },
    ],
  });
  watchers[0]!.peer.send({ type: 'chat', text: 'hi' });
  await broadcaster.peer.next('chat');

  const m = await scrape(server.httpUrl);
  t.equal(value(m, 'onair_sockets', { role: 'broadcaster' }), 1);
  t.equal(value(m, 'onair_sockets', { role: 'watcher' }), 3);
  t.equal(value(m, 'onair_sockets', { role: 'unjoined' }), 1);
  t.equal(value(m, 'onair_rooms', { state: 'live' }), 1, 'metrics-a is live');
  t.equal(value(m, 'onair_rooms', { state: 'idle' }), 1, 'metrics-b has no broadcaster');
  t.equal(value(m, 'onair_room_watchers', { room: 'metrics-a' }), 2);
  t.equal(value(m, 'onair_room_watchers', { room: 'metrics-b' }), 1);

  for (const [type, n] of Object.entries({ broadcastAvailable: 1, getBroadcast: 2, offer: 2, answer: 2, iceOfferCandidate: 2, iceAnswerCandidate: 2, stats: 1, chat: 1 })) {
    t.equal(value(m, 'onair_messages_relayed_total', { type }), n, `${n} ${type} relayed`);
  }
  const relayed = samples(m, 'onair_messages_relayed_total').reduce((sum, s) => sum + Number(s.value), 0);
  const [latency] = samples(m, 'onair_relay_latency_seconds');
  t.equal(m.get('onair_relay_latency_seconds')?.type, 'HISTOGRAM');
  t.equal(Number(latency?.count), relayed, 'one latency observation per relayed message');
  t.ok(Number(latency?.sum) > 0, 'latencies add up to more than 0 s');
  t.equal(Number(latency?.buckets?.['+Inf']), relayed);

  t.equal(value(m, 'onair_messages_rejected_total', { code: 'bad_json' }), 1);
  t.equal(value(m, 'onair_messages_rejected_total', { code: 'peer_not_found' }), 1, 'the offer to another room');

  t.equal(value(m, 'onair_room_delivered_bitrate_kbps', { room: 'metrics-a' }), 2000, 'connected watchers summed');
  t.equal(value(m, 'onair_room_delivered_fps', { room: 'metrics-a' }), 25, 'mean over connected watchers');
  t.equal(value(m, 'onair_room_delivered_bitrate_kbps', { room: 'metrics-b' }), undefined, 'no report, no series');
  t.equal(value(m, 'onair_delivered_connections', { candidate_type: 'host' }), 1);
  t.equal(value(m, 'onair_delivered_connections', { candidate_type: 'relay' }), 1);
  t.equal(value(m, 'onair_turn_credentials_issued_total'), undefined, 'no TURN configured, none issued');

  t.ok(m.has('process_cpu_user_seconds_total'), 'process metrics');
  t.ok(m.has('nodejs_eventloop_lag_seconds'), 'Node.js runtime metrics');

  await broadcaster.peer.close();
  await until(async () => value(await scrape(server.httpUrl), 'onair_rooms', { state: 'live' }) === 0);
  const after = await scrape(server.httpUrl);
  t.equal(value(after, 'onair_sockets', { role: 'broadcaster' }), 0, 'the broadcaster left');
  t.equal(value(after, 'onair_room_delivered_bitrate_kbps', { room: 'metrics-a' }), undefined, 'its report went with it');
  for (const w of [...watchers, other]) await w.peer.close();
  await unjoined.close();
});

t.test('TURN credentials issued are counted by mode', TEST_OPTIONS, async (t) => {
  const server = await startServer({ TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: '0123456789abcdef' });
  t.teardown(() => server.close());
  const a = await WsPeer.joined(server.wsUrl, 'turn', 'broadcaster');
  const b = await WsPeer.joined(server.wsUrl, 'turn', 'watcher');
  t.equal(value(await scrape(server.httpUrl), 'onair_turn_credentials_issued_total', { mode: 'secret' }), 2);
  await a.peer.close();
  await b.peer.close();
});

t.test(`only the ${MAX_ROOM_LABELS} largest rooms get a room label; the rest are summed as ${OTHER_ROOMS}`, TEST_OPTIONS, async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const peers: WsPeer[] = [];
  const rooms = MAX_ROOM_LABELS + 5;
  for (let i = 0; i < rooms; i++) peers.push((await WsPeer.joined(server.wsUrl, `r${String(i).padStart(2, '0')}`, 'watcher')).peer);
  for (let i = 0; i < 3; i++) peers.push((await WsPeer.joined(server.wsUrl, `r${rooms - 1}`, 'watcher')).peer);

  const m = await scrape(server.httpUrl);
  const series = samples(m, 'onair_room_watchers');
  t.equal(series.length, MAX_ROOM_LABELS + 1, 'bounded: the named rooms and one _other');
  t.equal(value(m, 'onair_room_watchers', { room: `r${rooms - 1}` }), 4, 'the largest room keeps its label');
  t.equal(value(m, 'onair_room_watchers', { room: OTHER_ROOMS }), 5, 'the 5 smallest rooms, summed');
  const total = series.reduce((sum, s) => sum + Number(s.value), 0);
  t.equal(total, rooms + 3, 'nobody is lost');
  for (const p of peers) await p.close();
});

/** Poll `check` every 50 ms until it holds (a metric reflects a close a moment later). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
