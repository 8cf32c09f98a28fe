import t from 'tap';
import { originAllowed } from '../../server/auth/origin.ts';

t.test('default: own origin and localhost; no Origin is not a browser', async (t) => {
  t.ok(originAllowed(undefined, 'onair.example.com', null));
  t.ok(originAllowed('https://onair.example.com', 'onair.example.com', null), 'own origin');
  t.ok(originAllowed('http://ONAIR.example.com:8080', 'onair.example.com:8080', null), 'own origin, any case');
  for (const o of ['http://localhost:5173', 'https://127.0.0.1', 'http://[::1]:3000']) t.ok(originAllowed(o, 'onair.example.com', null), o);
  for (const o of ['https://evil.example', 'null', 'file://', 'chrome-extension://abc', 'http://localhost.evil.example', 'not a url']) {
    t.notOk(originAllowed(o, 'onair.example.com', null), o);
  }
  t.notOk(originAllowed('https://onair.example.com:444', 'onair.example.com', null), 'another port is another origin');
});

t.test('ALLOWED_ORIGINS: own origin plus the list; * allows any', async (t) => {
  const list = ['https://onair.example.com', 'https://www.example.org'];
  t.ok(originAllowed('https://www.example.org', 'relay.example.com', list));
  t.notOk(originAllowed('http://www.example.org', 'relay.example.com', list), 'scheme matters');
  t.notOk(originAllowed('http://localhost:3000', 'relay.example.com', list), 'localhost no longer by default');
  t.ok(originAllowed('https://relay.example.com', 'relay.example.com', list), 'own origin still');
  t.ok(originAllowed('https://anything.example', 'relay.example.com', ['*']));
});
