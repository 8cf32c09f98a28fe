import { spawn } from 'node:child_process';
import { once } from 'node:events';
import t from 'tap';
import { processCpuMs, processRssBytes, processTree, processTreeCpuMs } from '../../scripts/lib/proc.ts';

t.test('CPU time and RSS of this process', async (t) => {
  const until = Date.now() + 50;
  while (Date.now() < until); // burn a little CPU so there is some to count
  t.ok((processCpuMs(process.pid) ?? 0) > 0, 'CPU time in ms');
  const rss = processRssBytes(process.pid) ?? 0;
  t.ok(rss > 10 * 1024 * 1024 && rss < 64 * 1024 ** 3, `RSS in bytes (${rss})`);
});

t.test('a process tree includes its children', async (t) => {
  const child = spawn('sleep', ['30']);
  t.teardown(() => void child.kill());
  await once(child, 'spawn');
  t.ok(processTree(process.pid).includes(child.pid!), 'the child is in the tree');
  // Read the root first, the tree after: CPU time only grows, so the tree read later counts at least the root read
  // earlier. The other order races (the root's time can grow between the two reads).
  const root = processCpuMs(process.pid) ?? 0;
  t.ok(processTreeCpuMs(process.pid) >= root, 'the tree counts at least the root');
});

t.test('a process that does not exist', async (t) => {
  t.equal(processCpuMs(2 ** 30), null);
  t.equal(processRssBytes(2 ** 30), null);
  t.same(processTree(2 ** 30), [2 ** 30], 'only the root, no descendants');
});
