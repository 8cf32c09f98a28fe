/** Keyframe requests paced: asks within the interval share one request; none after close. */
import { mock } from 'node:test';
import t from 'tap';
import { KEYFRAME_INTERVAL_MS, KeyframePacer } from '../../server/media/keyframe-pacer.ts';

t.test('asks together share one request; the next waits for the interval; close drops a pending one', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.teardown(() => mock.timers.reset());
  let now = 1_000;
  const tick = (ms: number) => {
    now += ms;
    mock.timers.tick(ms);
  };
  let sent = 0;
  const publisher = { requestKeyframe: () => Promise.resolve(void (sent += 1)) };
  const pacer = new KeyframePacer(() => now);
  pacer.request(publisher);
  pacer.request(publisher);
  tick(0);
  t.equal(sent, 1, 'two asks at once: one request');
  pacer.request(publisher);
  tick(KEYFRAME_INTERVAL_MS - 1);
  t.equal(sent, 1, 'not within the interval');
  tick(1);
  t.equal(sent, 2, 'at its end');
  pacer.request(publisher);
  pacer.close();
  tick(KEYFRAME_INTERVAL_MS);
  t.equal(sent, 2, 'closed: dropped');
});
