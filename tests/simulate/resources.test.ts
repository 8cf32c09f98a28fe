import t from 'tap';
import { startResourceMeter } from '../../scripts/simulate/resources.ts';

t.test('measures CPU time and resident memory of this process', async (t) => {
  const meter = startResourceMeter(1);
  const ballast = Array.from({ length: 200_000 }, (_, i) => ({ i, s: String(i) }));
  let x = 0;
  for (let i = 0; i < 2_000_000; i++) x += Math.sqrt(i);
  const usage = meter.stop();
  t.ok(x > 0 && ballast.length > 0);
  t.ok(usage.wallMs > 0);
  t.ok(usage.cpuUserMs > 0, 'CPU time was spent');
  t.ok(usage.cpuSystemMs >= 0);
  t.ok(usage.cpuPercent > 0);
  t.ok(usage.rssEndMiB > 10, 'RSS is in MiB');
  t.ok(usage.rssPeakMiB >= usage.rssEndMiB, 'the peak is at least the end value');
});
