/**
 * `layerReport` over real sockets: a watcher may send it (ignored on the mesh), a broadcaster may not; bad figures get
 * `invalid_message`; past the per-watcher rate limit, `layer_report_rate_limited`, and the connection and the other
 * watchers carry on.
 */
import t from 'tap';
import { LIMITS } from '../../protocol/messages.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { CLIENT_EXAMPLES } from '../protocol/examples.ts';
import { TEST_OPTIONS } from './helpers.ts';

const server = await startServer();
t.teardown(() => server.close());
const REPORT = CLIENT_EXAMPLES.layerReport;

t.test('a broadcaster may not send layerReport; bad figures are refused', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.joined(server.wsUrl, 'layers-a', 'broadcaster');
  b.peer.send(REPORT);
  t.match(await b.peer.next('error'), { code: 'forbidden' });
  const w = await WsPeer.joined(server.wsUrl, 'layers-a', 'watcher');
  w.peer.send({ ...REPORT, lossPercent: 400 });
  t.match(await w.peer.next('error'), { code: 'invalid_message', message: /lossPercent/ });
  await b.peer.close();
  await w.peer.close();
});

t.test(`a watcher gets ${LIMITS.layerReportBurst} reports at once, then layer_report_rate_limited; others are not affected`, TEST_OPTIONS, async (t) => {
  const chatty = await WsPeer.joined(server.wsUrl, 'layers-rate', 'watcher');
  const calm = await WsPeer.joined(server.wsUrl, 'layers-rate', 'watcher');
  for (let i = 0; i < LIMITS.layerReportBurst + 3; i++) chatty.peer.send(REPORT);
  t.match(await chatty.peer.next('error'), { code: 'layer_report_rate_limited' }, 'refused past the burst');
  // The connection carries on: a chat message still goes through, and the calm watcher's reports are not refused.
  calm.peer.send(REPORT);
  chatty.peer.send({ type: 'chat', text: 'still here' });
  t.match(await calm.peer.next('chat'), { text: 'still here' });
  t.match(await chatty.peer.next('chat'), { text: 'still here' }, 'the sender hears its chat too, after every refusal');
  const refusals = (p: WsPeer) => p.received.filter((m) => m.type === 'error' && m.code === 'layer_report_rate_limited').length;
  t.equal(refusals(calm.peer), 0, 'the other watcher was not limited');
  t.ok(refusals(chatty.peer) >= 1 && refusals(chatty.peer) <= 3, `only the reports past the burst were refused (${refusals(chatty.peer)})`);
  await chatty.peer.close();
  await calm.peer.close();
});
