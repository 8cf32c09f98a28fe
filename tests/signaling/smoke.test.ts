import t from 'tap';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';

t.test('broadcaster and watcher exchange an offer', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { peer: b, joined: bj } = await WsPeer.joined(server.wsUrl, 'main', 'broadcaster');
  const { peer: w, joined: wj } = await WsPeer.joined(server.wsUrl, 'main', 'watcher');
  t.equal(wj.broadcaster, null);
  b.send({ type: 'broadcastAvailable' });
  t.same(await w.next('broadcastAvailable'), { type: 'broadcastAvailable', from: bj.id });
  w.send({ type: 'getBroadcast', to: bj.id });
  t.same(await b.next('getBroadcast'), { type: 'getBroadcast', from: wj.id });
  await w.close();
  t.same(await b.next('watcherLeft'), { type: 'watcherLeft', id: wj.id });
  await b.close();
});
