import { createHmac } from 'node:crypto';
import t from 'tap';
import { mintTurnCredentials } from '../../server/ice/turn-credentials.ts';

/** The TURN REST password as coturn recomputes it (draft-uberti-behave-turn-rest-00 §2.2). */
const hmac = (secret: string, username: string): string => createHmac('sha1', secret).update(username).digest('base64');

t.test('username is "<expiry>:<id>" and the credential is base64(HMAC-SHA1(secret, username))', async (t) => {
  const secret = 'a-shared-secret-of-some-length';
  const nowMs = 1_767_225_600_999; // 2026-01-01T00:00:00.999Z
  const creds = mintTurnCredentials(secret, 'Hx2m-LZ0c_9pQeRt7uVw1A', 3600, nowMs);
  t.equal(creds.expiresAt, 1_767_225_600 + 3600, 'expiry = floor(now / 1000) + ttl, in Unix seconds');
  t.equal(creds.username, `${1_767_225_600 + 3600}:Hx2m-LZ0c_9pQeRt7uVw1A`);
  t.equal(creds.credential, hmac(secret, creds.username));
  t.match(creds.credential, /^[A-Za-z0-9+/]{27}=$/, '20-byte SHA-1 digest in base64');
});

t.test('the credential depends on the secret, the id and the expiry', async (t) => {
  const nowMs = 1_700_000_000_000;
  const base = mintTurnCredentials('secret-number-one-0123', 'peerA', 60, nowMs);
  t.not(mintTurnCredentials('secret-number-two-0123', 'peerA', 60, nowMs).credential, base.credential, 'secret');
  t.not(mintTurnCredentials('secret-number-one-0123', 'peerB', 60, nowMs).credential, base.credential, 'id');
  t.not(mintTurnCredentials('secret-number-one-0123', 'peerA', 61, nowMs).credential, base.credential, 'ttl');
  t.same(mintTurnCredentials('secret-number-one-0123', 'peerA', 60, nowMs), base, 'deterministic');
});

t.test('defaults to the current time', async (t) => {
  const before = Math.floor(Date.now() / 1000);
  const creds = mintTurnCredentials('0123456789abcdef', 'peer', 600);
  const after = Math.floor(Date.now() / 1000);
  t.ok(creds.expiresAt >= before + 600 && creds.expiresAt <= after + 600, 'expiry within [before, after] + ttl');
  t.equal(creds.username, `${creds.expiresAt}:peer`);
  t.equal(creds.credential, hmac('0123456789abcdef', creds.username));
});
