import { SignJWT, UnsecuredJWT } from 'jose';
import t from 'tap';
import { checkToken, MAX_TOKEN_TTL_S, signToken } from '../../server/auth/tokens.ts';

const SECRET = 's'.repeat(40);
const NOW = Date.UTC(2026, 0, 1);
const MAIN = { room: 'main', role: 'broadcaster' } as const;

t.test('a token is valid for its room and role, between nbf and exp', async (t) => {
  const token = await signToken(SECRET, MAIN, 3600, NOW);
  t.equal(await checkToken(SECRET, token, MAIN, NOW), null);
  t.equal(await checkToken(SECRET, token, MAIN, NOW + 3599_000), null, 'just before exp');
  t.match(await checkToken(SECRET, token, MAIN, NOW + 3601_000), /bad token: ERR_JWT_EXPIRED/, 'expired');
  t.match(await checkToken(SECRET, token, MAIN, NOW - 60_000), /ERR_JWT_CLAIM_VALIDATION_FAILED/, 'not yet valid (nbf)');
  t.equal(await checkToken(SECRET, token, { room: 'other', role: 'broadcaster' }, NOW), 'token is for another room');
  t.equal(await checkToken(SECRET, token, { room: 'main', role: 'watcher' }, NOW), 'token is for another role');
  t.match(await checkToken(`${SECRET}x`, token, MAIN, NOW), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/, 'another key');
});

t.test('forgeries and garbage are refused, never thrown', async (t) => {
  const payload = { room: 'main', role: 'broadcaster', nbf: NOW / 1000, exp: NOW / 1000 + 60 };
  const unsigned = new UnsecuredJWT(payload).encode();
  t.match(await checkToken(SECRET, unsigned, MAIN, NOW), /bad token/, 'alg none');
  const hs512 = await new SignJWT(payload).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET));
  t.match(await checkToken(SECRET, hs512, MAIN, NOW), /bad token/, 'another algorithm');
  const noExp = await new SignJWT({ room: 'main', role: 'broadcaster', nbf: NOW / 1000 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
  t.match(await checkToken(SECRET, noExp, MAIN, NOW), /bad token/, 'no exp');
  const token = await signToken(SECRET, MAIN, 60, NOW);
  const [h, , s] = token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, room: 'main' })).toString('base64url')}.${s}`;
  t.match(await checkToken(SECRET, tampered, MAIN, NOW), /bad token/, 'payload changed');
  for (const junk of ['', 'x', 'a.b.c', '...', '\u0000'.repeat(10)]) t.match(await checkToken(SECRET, junk, MAIN, NOW), /bad token/);
});

t.test('ttl bounds', async (t) => {
  await t.rejects(signToken(SECRET, MAIN, 0), RangeError);
  await t.rejects(signToken(SECRET, MAIN, MAX_TOKEN_TTL_S + 1), RangeError);
  await t.rejects(signToken(SECRET, MAIN, 1.5), RangeError);
});
