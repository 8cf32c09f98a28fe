/**
 * Structured logs: JSON lines from pino, and every line about a WebSocket connection carries that connection's
 * request id (`reqId`) and, from the upgrade on, its peer id (`peer`), then its role and room once joined.
 */
import { Writable } from 'node:stream';
import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { TEST_OPTIONS } from '../signaling/helpers.ts';

t.test('every line of a connection names it', TEST_OPTIONS, async (t) => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const server = await startServer({}, { logger: { level: 'debug', stream } });
  const b = await WsPeer.joined(server.wsUrl, 'logs', 'broadcaster');
  const w = await WsPeer.joined(server.wsUrl, 'logs', 'watcher');
  w.peer.send({ type: 'getBroadcast', to: b.joined.id });
  await b.peer.next('getBroadcast');
  w.peer.send('not json');
  await w.peer.next('error');
  await w.peer.close();
  await b.peer.close();
  await server.close();

  const connectionLines = lines.filter((l) => l.reqId !== undefined);
  t.ok(connectionLines.length >= 6, `${connectionLines.length} lines about the two connections`);
  const peerLines = lines.filter((l) => ['joined', 'relayed', 'protocol error', 'left'].includes(String(l.msg)));
  t.ok(peerLines.length >= 6, 'joined, relayed, protocol error and left were logged');
  for (const line of peerLines) {
    t.match(line, { reqId: String, peer: /^[A-Za-z0-9_-]{22}$/, role: /^(broadcaster|watcher)$/, room: 'logs' }, `"${String(line.msg)}" names its connection`);
  }
  const watcherId = w.joined.id;
  t.same(
    peerLines.filter((l) => l.peer === watcherId).map((l) => l.msg),
    ['joined', 'relayed', 'protocol error', 'left'],
    'one connection’s story, by its peer id',
  );
  t.notOk(lines.some((l) => JSON.stringify(l).includes('v=0')), 'no SDP in the logs');
});
