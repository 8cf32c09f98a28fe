/** Sharing a node's Janus loads every heartbeat: what the others report reaches the pool; Redis down keeps the last. */
import { EventEmitter, once } from 'node:events';
import t from 'tap';
import { shareJanusLoads } from '../../server/cluster/janus-loads.ts';
import type { JanusClient } from '../../server/sfu/janus-client.ts';
import { JanusInstance, JanusPool } from '../../server/sfu/janus-pool.ts';

t.test("each tick tells this node's loads and sets the others'; a failed one keeps the last heard", async (t) => {
  const connection = Object.assign(new EventEmitter(), { state: 'up' });
  const instance = new JanusInstance('janus-1', { connection } as unknown as JanusClient, '10.0.0.5', 'ws://10.0.0.5:8188');
  instance.countViewer(1);
  const pool = new JanusPool([instance]);
  const told: Record<string, number>[] = [];
  const ticks = new EventEmitter();
  const answers: Array<Record<string, number> | Error> = [{ 'ws://10.0.0.5:8188': 4 }, new Error('redis down')];
  const cluster = {
    shareJanusLoads(local: Readonly<Record<string, number>>) {
      told.push({ ...local });
      const answer = answers.shift() ?? {};
      setImmediate(() => ticks.emit('tick'));
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  const stop = shareJanusLoads(cluster, pool, 10);
  const keepAlive = setInterval(() => {}, 1000); // the sharing timer is unref'd: it keeps no process alive
  t.teardown(() => {
    stop();
    clearInterval(keepAlive);
  });
  await once(ticks, 'tick');
  t.same(told[0], { 'ws://10.0.0.5:8188': 1 }, 'its own subscriptions, by URL');
  t.equal(instance.load, 5, "the others' 4 added");
  await once(ticks, 'tick');
  t.equal(instance.load, 5, 'Redis down: the last loads heard stay');
  await once(ticks, 'tick');
  t.equal(instance.load, 1, 'heard again: nobody else');
});
