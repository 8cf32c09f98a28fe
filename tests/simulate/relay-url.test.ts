import t from 'tap';
import { relayUrlFor } from '../../scripts/simulate/relay-url.ts';

t.test('relayUrlFor maps http(s) to ws(s) and appends /ws', async (t) => {
  t.equal(relayUrlFor('http://localhost:3000'), 'ws://localhost:3000/ws');
  t.equal(relayUrlFor('http://localhost:3000/'), 'ws://localhost:3000/ws');
  t.equal(relayUrlFor('https://onair.example.com'), 'wss://onair.example.com/ws');
  t.equal(relayUrlFor('https://onair.example.com:8443/'), 'wss://onair.example.com:8443/ws');
  t.equal(relayUrlFor('HTTP://127.0.0.1:3000'), 'ws://127.0.0.1:3000/ws');
  t.equal(relayUrlFor('http://[::1]:3000'), 'ws://[::1]:3000/ws');
});

t.test('relayUrlFor keeps a path prefix and drops query and fragment', async (t) => {
  t.equal(relayUrlFor('https://example.com/onair/'), 'wss://example.com/onair/ws');
  t.equal(relayUrlFor('https://example.com/onair'), 'wss://example.com/onair/ws');
  t.equal(relayUrlFor('http://localhost:3000/?room=main#x'), 'ws://localhost:3000/ws');
});

t.test('relayUrlFor takes a ws(s) URL as the server, or as the relay itself', async (t) => {
  t.equal(relayUrlFor('ws://localhost:3000'), 'ws://localhost:3000/ws');
  t.equal(relayUrlFor('wss://example.com/ws'), 'wss://example.com/ws');
  t.equal(relayUrlFor('ws://localhost:3000/ws/'), 'ws://localhost:3000/ws');
});

t.test('relayUrlFor refuses what is not an absolute http(s)/ws(s) URL', async (t) => {
  t.throws(() => relayUrlFor('localhost:3000'), { name: 'TypeError', message: /not http:, https:, ws: or wss:/ });
  t.throws(() => relayUrlFor('ftp://example.com'), { name: 'TypeError', message: '"ftp:" is not http:, https:, ws: or wss:' });
  t.throws(() => relayUrlFor('/ws'), { name: 'TypeError', message: /not an absolute URL/ });
  t.throws(() => relayUrlFor(''), { name: 'TypeError', message: /not an absolute URL/ });
});
