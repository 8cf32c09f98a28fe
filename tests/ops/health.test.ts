/**
 * `/healthz` and `/readyz` over real HTTP: ready while serving; 503 with Retry-After while draining for shutdown and
 * while the event loop is overloaded, when liveness (`/healthz`) and `/metrics` still answer.
 */
import t from 'tap';
import { startServer } from '../helpers/server.ts';

t.test('healthy and ready, then draining: /readyz 503, /healthz still 200', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const health = await fetch(`${server.httpUrl}/healthz`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });
  const ready = await fetch(`${server.httpUrl}/readyz`);
  t.equal(ready.status, 200);
  t.same(await ready.json(), { status: 'ok' });

  server.app.drain();
  const draining = await fetch(`${server.httpUrl}/readyz`);
  t.equal(draining.status, 503, 'not ready while draining');
  t.equal(draining.headers.get('retry-after'), '5');
  t.match(await draining.json(), { statusCode: 503, code: 'FST_UNDER_PRESSURE' });
  t.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200, 'still alive');
});

t.test('an overloaded event loop makes /readyz answer 503; /healthz and /metrics still answer', async (t) => {
  // 1 ms: any long synchronous block in this process counts as overload for this server.
  const server = await startServer({ MAX_EVENT_LOOP_DELAY_MS: '1' });
  t.teardown(() => server.close());
  let status = 0;
  for (let attempt = 0; attempt < 20 && status !== 503; attempt++) {
    const until = Date.now() + 300;
    while (Date.now() < until); // block the event loop the server shares with this test
    // under-pressure samples the delay once a second: ask until its sample holds the block.
    for (let i = 0; i < 15 && status !== 503; i++) {
      status = (await fetch(`${server.httpUrl}/readyz`)).status;
      if (status !== 503) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  t.equal(status, 503, '/readyz reports the overload');
  t.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200, '/healthz is exempt');
  t.equal((await fetch(`${server.httpUrl}/metrics`)).status, 200, '/metrics is exempt');
});
