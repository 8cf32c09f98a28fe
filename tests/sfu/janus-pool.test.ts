/** The pool of Janus instances: its state from theirs, its events, and which instance is least loaded. */
import { EventEmitter } from 'node:events';
import t from 'tap';
import type { JanusClient } from '../../server/sfu/janus-client.ts';
import { JanusInstance, JanusPool } from '../../server/sfu/janus-pool.ts';

function instance(name: string, state = 'up', url: string | null = null) {
  const connection = Object.assign(new EventEmitter(), { state, close: () => Promise.resolve(void (connection.state = 'closed')) });
  return { instance: new JanusInstance(name, { connection } as unknown as JanusClient, '10.0.0.1', url), connection };
}

t.test('state: up if any is, else connecting if any is, else down; closed when all are', async (t) => {
  const [a, b] = [instance('janus-1', 'down'), instance('janus-2', 'connecting')];
  const pool = new JanusPool([a.instance, b.instance]);
  t.equal(pool.state, 'connecting');
  t.notOk(pool.anyUp);
  const up = new Promise((resolve) => pool.once('up', resolve));
  b.connection.state = 'up';
  b.connection.emit('up', { generation: 1 });
  t.equal(await up, b.instance, "`up` names the instance");
  t.equal(pool.state, 'up');
  b.connection.state = 'down';
  t.equal(pool.state, 'down');
  await pool.close();
  t.equal(pool.state, 'closed');
  t.throws(() => new JanusPool([]), /at least one/);
});

t.test('leastLoaded: fewest viewers, then fewest rooms, then configuration order; only up instances; except', async (t) => {
  const [a, b, c] = [instance('janus-1'), instance('janus-2'), instance('janus-3')];
  const pool = new JanusPool([a.instance, b.instance, c.instance]);
  t.equal(pool.leastLoaded(), a.instance, 'all equal: the first');
  a.instance.countRoom(1);
  t.equal(pool.leastLoaded(), b.instance, 'fewer rooms');
  b.instance.countViewer(1);
  b.instance.countViewer(1);
  c.instance.countViewer(1);
  c.instance.countRoom(1);
  t.equal(pool.leastLoaded(), a.instance, 'fewest viewers first: janus-1 has a room but no viewer');
  t.equal(pool.leastLoaded(new Set([a.instance])), c.instance, 'except janus-1');
  c.connection.state = 'down';
  t.equal(pool.leastLoaded(new Set([a.instance])), b.instance, 'a down instance is never picked');
  t.equal(pool.leastLoaded(new Set([a.instance, b.instance])), null, 'none left');
  a.instance.countViewer(-1);
  t.equal(a.instance.viewers, 0, 'never below 0');
});

t.test("shared instances: the other nodes' subscriptions add to an instance's load; this node tells its own by URL", async (t) => {
  const [a, b, managed] = [instance('janus-1', 'up', 'ws://10.0.0.5:8188'), instance('janus-2', 'up', 'ws://10.0.0.6:8188'), instance('janus-3')];
  const pool = new JanusPool([a.instance, b.instance, managed.instance]);
  a.instance.countViewer(1);
  b.instance.countViewer(1);
  b.instance.countViewer(1);
  t.same(pool.localLoads(), { 'ws://10.0.0.5:8188': 1, 'ws://10.0.0.6:8188': 2 }, 'by URL; a managed Janus is not shared');
  managed.connection.state = 'down';
  t.equal(pool.leastLoaded(), a.instance, 'on its own: janus-1 has fewer');
  pool.setElsewhere({ 'ws://10.0.0.5:8188': 5, 'ws://10.0.0.9:8188': 99 });
  t.same([a.instance.load, b.instance.load], [6, 2], 'janus-1 carries 5 of the other nodes');
  t.equal(pool.leastLoaded(), b.instance, 'so rooms go to janus-2');
  pool.setElsewhere({});
  t.equal(a.instance.load, 1, 'what the others no longer report is gone');
});
