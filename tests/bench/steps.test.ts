import t from 'tap';
import { capacityOf, measureStep } from '../../scripts/bench/steps.ts';

const held = (s: { slowestFps: number }) => s.slowestFps >= 27;

/** A measure that gives these steps in turn, counting its calls. */
function windows(...fps: number[]) {
  const calls = { n: 0 };
  return { calls, measure: () => Promise.resolve({ viewers: 1, slowestFps: fps[calls.n++]! }) };
}

t.test('a step that held is measured once; one short is measured again, and the better of the two kept', async (t) => {
  const once = windows(30, 10);
  t.equal((await measureStep(once.measure, held)).slowestFps, 30);
  t.equal(once.calls.n, 1);
  const recovered = windows(20, 29);
  t.equal((await measureStep(recovered.measure, held)).slowestFps, 29, 'a transient: the second held');
  const worse = windows(20, 15);
  t.equal((await measureStep(worse.measure, held)).slowestFps, 20, 'both short: the faster one');
  t.equal(worse.calls.n, 2);
});

t.test('the capacity is the viewers of the last step that held', async (t) => {
  const steps = [{ viewers: 1, slowestFps: 30 }, { viewers: 5, slowestFps: 28 }, { viewers: 10, slowestFps: 12 }];
  t.equal(capacityOf(steps, held), 5);
  t.equal(capacityOf([{ viewers: 1, slowestFps: 3 }], held), 0, 'none held');
});
