/**
 * `METRICS_ALLOW`: the check itself on addresses, and the operator endpoints over real HTTP from 127.0.0.1.
 */
import t from 'tap';
import { operatorAccess } from '../../server/ops/access.ts';
import { startServer } from '../helpers/server.ts';

t.test('the address check', async (t) => {
  const loopback = operatorAccess({ metricsAllow: ['loopback'] });
  t.equal(loopback('127.0.0.1'), 'allow');
  t.equal(loopback('127.1.2.3'), 'allow', '127.0.0.0/8');
  t.equal(loopback('::1'), 'allow');
  t.equal(loopback('::ffff:127.0.0.1'), 'allow', 'IPv4-mapped IPv6');
  t.equal(loopback('192.0.2.1'), 'forbid');
  t.equal(loopback('::ffff:192.0.2.1'), 'forbid');
  t.equal(loopback('not an ip'), 'forbid');

  const list = operatorAccess({ metricsAllow: ['10.0.0.0/8', '192.0.2.7', 'fd00::/8'] });
  t.equal(list('10.200.0.1'), 'allow');
  t.equal(list('192.0.2.7'), 'allow');
  t.equal(list('192.0.2.8'), 'forbid');
  t.equal(list('fd12::1'), 'allow');
  t.equal(list('127.0.0.1'), 'forbid', 'loopback only when listed');

  t.equal(operatorAccess({ metricsAllow: ['all'] })('203.0.113.9'), 'allow');
  t.equal(operatorAccess({ metricsAllow: ['off'] })('127.0.0.1'), 'hidden');
});

const ENDPOINTS = ['/metrics', '/api/rooms', '/status'];

t.test('default (loopback): the endpoints answer 127.0.0.1', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  for (const path of ENDPOINTS) t.equal((await fetch(server.httpUrl + path)).status, 200, path);
});

t.test('an address not in METRICS_ALLOW gets 403', async (t) => {
  const server = await startServer({ METRICS_ALLOW: '192.0.2.0/24' });
  t.teardown(() => server.close());
  for (const path of ENDPOINTS) {
    const response = await fetch(server.httpUrl + path);
    t.equal(response.status, 403, path);
    t.match(await response.json(), { error: 'Forbidden' });
  }
  t.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200, 'health is not an operator endpoint');
});

t.test('METRICS_ALLOW=off: the endpoints are not there (404)', async (t) => {
  const server = await startServer({ METRICS_ALLOW: 'off' });
  t.teardown(() => server.close());
  for (const path of ENDPOINTS) t.equal((await fetch(server.httpUrl + path)).status, 404, path);
});
