import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadResumeKey } from '../../server/auth/resume-key.ts';

const decode = (key: Uint8Array) => new TextDecoder().decode(key);

t.test('RESUME_SECRET is the key when set; no file is touched', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'key');
  t.equal(decode(loadResumeKey({ resume: { secret: 'k'.repeat(32), file } })), 'k'.repeat(32));
  t.throws(() => statSync(file), { code: 'ENOENT' });
});

t.test('without it, a key is generated once, kept (mode 0600) and read back after a restart', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'sub', 'key');
  const first = decode(loadResumeKey({ resume: { secret: null, file } }));
  t.ok(first.length >= 32);
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.equal(decode(loadResumeKey({ resume: { secret: null, file } })), first, 'the same key the second time');
  const other = join(dir, 'other');
  t.not(decode(loadResumeKey({ resume: { secret: null, file: other } })), first, 'another file, another random key');
});

t.test('a key file that is too short is refused', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'key');
  writeFileSync(file, 'short\n');
  t.throws(() => loadResumeKey({ resume: { secret: null, file } }), /fewer than 32 bytes/);
});
