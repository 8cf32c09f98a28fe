import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { deadline } from '../../scripts/simulate/deadline.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether `signal` aborts before `ms`; resolves with its reason's name, or 'never'. */
function aborts(signal: AbortSignal, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('never'), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve((signal.reason as Error).name);
    }, { once: true });
  });
}

t.test('fires after its time even when a garbage collection runs meanwhile', async (t) => {
  const waiting = aborts(deadline(100).signal, 2000);
  gc();
  t.equal(await waiting, 'TimeoutError');
});

t.test('a linked signal aborts it earlier with its own reason; clear() stops it', async (t) => {
  const stop = new AbortController();
  const limit = deadline(10_000, stop.signal);
  const waiting = aborts(limit.signal, 2000);
  stop.abort(new RangeError('stopped'));
  t.equal(await waiting, 'RangeError');
  const cleared = deadline(50);
  cleared.clear();
  t.equal(await aborts(cleared.signal, 300), 'never');
  t.ok(deadline(1000, AbortSignal.abort()).signal.aborted, 'an aborted link aborts it at once');
});
