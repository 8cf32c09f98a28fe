import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { testClip } from '../../scripts/lib/clip.ts';

t.test('a testsrc2 Y4M clip at the asked size and rate, generated once and then cached', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-clip-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = await testClip(64, 48, 5, dir);
  const header = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  readSync(fd, header, 0, 64, 0);
  closeSync(fd);
  t.match(header.toString('latin1'), /^YUV4MPEG2 W64 H48 F5:1 /);
  const frames = 2 * 5; // two seconds
  t.equal(statSync(path).size > frames * 64 * 48 * 1.5, true, 'holds the frames (4:2:0)');
  const again = await testClip(64, 48, 5, dir);
  t.equal(again, path);
  t.equal(statSync(again).mtimeMs, statSync(path).mtimeMs, 'not generated twice');
});
