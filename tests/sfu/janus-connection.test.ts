/**
 * The Janus connection's health and reconnection, against the real (managed) Janus: a SIGKILLed Janus is noticed
 * (`down`), the peers of that generation close, and once the managed Janus is back the connection rebuilds its
 * session (`up`, a new generation) and the client works again; a frozen Janus (SIGSTOP) is noticed by the keepalive
 * and the connection comes back after SIGCONT; `close()` ends it.
 */
import t from 'tap';
import type { JanusConnectionEvents } from '../../server/sfu/janus-connection.ts';
import { JanusPeer } from '../../server/sfu/janus-peers.ts';
import { sfuSkipReason, startTestJanus } from '../helpers/janus.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const sfu = await startTestJanus();
  t.teardown(() => sfu.stop());
  /** The next `event` of the connection. */
  const next = <E extends keyof JanusConnectionEvents>(event: E) =>
    new Promise<JanusConnectionEvents[E][0]>((resolve) => sfu.connection.once(event, ((info: JanusConnectionEvents[E][0]) => resolve(info)) as never));

  t.test('Janus killed: noticed, its peers close, and the session is rebuilt when Janus is back', async (t) => {
    const room = await sfu.client.createRoom();
    const subscriberClosed = sfu.client.subscribe(room, 'no-feed').catch((err: { code: string }) => err.code);
    t.equal(await subscriberClosed, 'sfu_feed_not_found', 'the client works before');
    const before = sfu.connection.generation;
    const { handle, generation } = await sfu.connection.attachVideoRoom();
    const peer = new JanusPeer(sfu.connection, handle, generation);
    const peerClosed = new Promise((resolve) => peer.once('closed', () => resolve(true)));
    const down = next('down');
    const up = next('up');
    // Asked from the down event itself, so Janus cannot be back yet.
    const whileDown = new Promise((resolve) => sfu.connection.once('down', () => resolve(sfu.client.createRoom().catch((err: { code: string }) => err.code))));
    const killedAt = Date.now();
    process.kill(sfu.janus.pid()!, 'SIGKILL');
    const lost = await down;
    t.comment(`noticed ${Date.now() - killedAt} ms after SIGKILL (${lost.reason})`);
    t.equal(lost.generation, before, 'down names the lost generation');
    t.equal(sfu.connection.state, 'down', 'state down');
    t.ok(await peerClosed, "the lost generation's peers close");
    await t.rejects(peer.trickle(null), { code: 'sfu_unavailable' }, 'and refuse work');
    t.equal(await whileDown, 'sfu_unavailable', 'operations fail with sfu_unavailable while down');
    t.same(await up, { generation: before + 1 }, 'up again, a new generation');
    t.not(sfu.connection.sessionId, null, 'with a new session');
    await t.rejects(sfu.client.subscribe(room, 'no-feed'), { code: 'sfu_room_not_found' }, "the restarted Janus has none of the old rooms");
    const again = await sfu.client.createRoom();
    t.ok(again, 'rooms can be created again');
    await sfu.client.destroyRoom(again);
  });

  t.test('Janus frozen (SIGSTOP): the keepalive notices; after SIGCONT the connection comes back', async (t) => {
    const before = sfu.connection.generation;
    const down = next('down');
    const up = next('up');
    const pid = sfu.janus.pid()!;
    const stoppedAt = Date.now();
    process.kill(pid, 'SIGSTOP');
    const lost = await down;
    t.comment(`noticed ${Date.now() - stoppedAt} ms after SIGSTOP (${lost.reason})`);
    t.match(lost.reason, /no keepalive answer/, 'noticed by the keepalive, the process being alive');
    process.kill(pid, 'SIGCONT');
    t.same(await up, { generation: before + 1 }, 'up again');
    t.equal(sfu.janus.pid(), pid, 'the same Janus process (not restarted)');
  });

  t.test('close: no more reconnection, whenUp refuses', async (t) => {
    const down = next('down');
    await sfu.connection.close();
    t.same((await down).reason, 'closed', 'down: closed');
    t.equal(sfu.connection.state, 'closed', 'state closed');
    await t.rejects(sfu.connection.whenUp(), { code: 'sfu_unavailable' }, 'whenUp: sfu_unavailable');
    await t.rejects(sfu.connection.attachVideoRoom(), { code: 'sfu_unavailable' }, 'attach: sfu_unavailable');
  });
}
