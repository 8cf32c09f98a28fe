import { SignJWT, UnsecuredJWT } from 'jose';
import t from 'tap';
import { signToken } from '../../server/auth/tokens.ts';
import { signResumeToken, verifyResumeToken, RESUME_TTL_S } from '../../server/auth/resume-token.ts';

const KEY = new TextEncoder().encode('r'.repeat(40));
const NOW = Date.UTC(2026, 0, 1);
const CLAIMS = { peer: 'AAAAAAAAAAAAAAAAAAAAAA', room: 'main', role: 'watcher' } as const;
const WANTED = { room: 'main', role: 'watcher' } as const;

t.test('a resume token gives back the peer id, room and role it was signed for, until it expires', async (t) => {
  const token = await signResumeToken(KEY, CLAIMS, RESUME_TTL_S, NOW);
  t.same(await verifyResumeToken(KEY, token, WANTED, NOW), CLAIMS);
  t.same(await verifyResumeToken(KEY, token, WANTED, NOW + (RESUME_TTL_S - 1) * 1000), CLAIMS, 'just before exp');
  t.same(await verifyResumeToken(KEY, token, WANTED, NOW + (RESUME_TTL_S + 1) * 1000), { code: 'resume_expired', reason: 'resume token expired' });
});

t.test('another room, another role, another key, a forgery or garbage: resume_invalid, never thrown', async (t) => {
  const token = await signResumeToken(KEY, CLAIMS, 60, NOW);
  t.match(await verifyResumeToken(KEY, token, { room: 'other', role: 'watcher' }, NOW), { code: 'resume_invalid', reason: /another room/ });
  t.match(await verifyResumeToken(KEY, token, { room: 'main', role: 'broadcaster' }, NOW), { code: 'resume_invalid', reason: /another role/ });
  t.match(await verifyResumeToken(new TextEncoder().encode('x'.repeat(40)), token, WANTED, NOW), { code: 'resume_invalid' }, 'another key');
  const [h, , s] = token.split('.');
  const body = Buffer.from(JSON.stringify({ room: 'main', role: 'watcher', sub: 'BBBBBBBBBBBBBBBBBBBBBB', aud: 'onair-resume', exp: NOW / 1000 + 60 })).toString('base64url');
  t.match(await verifyResumeToken(KEY, `${h}.${body}.${s}`, WANTED, NOW), { code: 'resume_invalid' }, 'another peer id under the same signature');
  const unsigned = new UnsecuredJWT({ room: 'main', role: 'watcher', sub: CLAIMS.peer, aud: 'onair-resume' }).setExpirationTime(NOW / 1000 + 60).encode();
  t.match(await verifyResumeToken(KEY, unsigned, WANTED, NOW), { code: 'resume_invalid' }, 'alg none');
  for (const junk of ['', 'x', 'a.b.c', '\u0000'.repeat(10)]) t.match(await verifyResumeToken(KEY, junk, WANTED, NOW), { code: 'resume_invalid' });
});

t.test('a join token signed with the same key is no resume token (audience), nor one without a peer id', async (t) => {
  const secret = 'r'.repeat(40);
  const join = await signToken(secret, { room: 'main', role: 'watcher' }, 60, NOW);
  t.match(await verifyResumeToken(KEY, join, WANTED, NOW), { code: 'resume_invalid' });
  const noSub = await new SignJWT({ room: 'main', role: 'watcher' }).setProtectedHeader({ alg: 'HS256' }).setAudience('onair-resume').setExpirationTime(NOW / 1000 + 60).sign(KEY);
  t.match(await verifyResumeToken(KEY, noSub, WANTED, NOW), { code: 'resume_invalid' });
  const badSub = await new SignJWT({ room: 'main', role: 'watcher' }).setProtectedHeader({ alg: 'HS256' }).setSubject('no spaces!').setAudience('onair-resume').setExpirationTime(NOW / 1000 + 60).sign(KEY);
  t.match(await verifyResumeToken(KEY, badSub, WANTED, NOW), { code: 'resume_invalid', reason: /no valid peer id/ });
});
