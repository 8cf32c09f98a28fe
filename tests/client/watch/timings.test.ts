import t from 'tap';
import { JoinTimings } from '../../../client/watch/timings.ts';

t.test('each milestone is recorded once, at 0.1 ms, and absent until reached', async (t) => {
  const timings = new JoinTimings();
  t.same(timings.toJSON(), {}, 'nothing yet');
  timings.mark('wsOpen', 12.345);
  timings.mark('wsOpen', 99);
  timings.mark('joined', 20.04);
  t.same(timings.toJSON(), { wsOpen: 12.3, joined: 20 }, 'the first time counts');
  const copy = timings.toJSON();
  copy.offer = 1;
  t.notOk('offer' in timings.toJSON(), 'toJSON gives a copy');
  const before = performance.now();
  timings.mark('firstFrame');
  t.ok(timings.toJSON().firstFrame! >= Math.floor(before * 10) / 10, 'defaults to performance.now()');
});
