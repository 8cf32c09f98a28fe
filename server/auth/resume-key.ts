/**
 * The key that signs resume tokens (`resume-token.ts`), chosen once at build time: `RESUME_SECRET` when set;
 * otherwise 32 random bytes generated on first start and kept in `RESUME_SECRET_FILE` (mode 0600), so a restarted
 * node still accepts the tokens it signed before. Several nodes must share one key: set `RESUME_SECRET` on each.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config.ts';

/** Keys shorter than this (bytes) in the key file are refused. */
const MIN_KEY_BYTES = 32;

/**
 * The resume key.
 *
 * @returns the HS256 key bytes
 * @throws Error when the key file cannot be read or written, or holds fewer than 32 bytes
 */
export function loadResumeKey(config: Pick<Config, 'resume'>): Uint8Array {
  const { secret, file } = config.resume;
  if (secret !== null) return new TextEncoder().encode(secret);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the resume key file ${file}: ${(err as Error).message}`, { cause: err });
    mkdirSync(dirname(file), { recursive: true });
    try {
      // `wx`: if another process created it meanwhile, read theirs instead.
      writeFileSync(file, `${randomBytes(MIN_KEY_BYTES).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (created) {
      if ((created as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write the resume key file ${file}: ${(created as Error).message}`, { cause: created });
    }
    text = readFileSync(file, 'utf8').trim();
  }
  const key = new TextEncoder().encode(text);
  if (key.length < MIN_KEY_BYTES) throw new Error(`the resume key file ${file} holds fewer than ${MIN_KEY_BYTES} bytes`);
  return key;
}
