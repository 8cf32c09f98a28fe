import t from 'tap';
import { lineChart, ticks } from '../../scripts/bench/svg.ts';

t.test('ticks are round numbers from 0 to at least the maximum', async (t) => {
  t.same(ticks(9), [0, 2, 4, 6, 8, 10]);
  t.same(ticks(1000), [0, 200, 400, 600, 800, 1000]);
  t.same(ticks(0.7), [0, 0.2, 0.4, 0.6, 0.8]);
  t.same(ticks(0), [0, 1]);
});

t.test('a chart: series as lines and markers, a legend, a reference line, escaped text', async (t) => {
  const svg = lineChart({
    title: 'TTFF <p50 & p95>',
    xLabel: 'viewers',
    yLabel: 'ms',
    series: [{ name: 'p50', points: [[1, 100], [4, 200], [8, 400]] }, { name: 'one', points: [[2, 50]] }],
    reference: { label: 'floor', y: 130 },
  });
  t.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="360"/);
  t.match(svg, /TTFF &lt;p50 &amp; p95&gt;/);
  t.equal(svg.match(/<polyline /g)?.length, 1, 'a single point draws no line');
  t.equal(svg.match(/<circle /g)?.length, 4);
  t.match(svg, /stroke-dasharray="6 4"/);
  t.match(svg, />floor</);
  t.match(svg, /<\/svg>\n$/);
  // The x axis runs 0–8 over 64–620 px: x = 4 sits at 64 + 0.5 × 556.
  t.match(svg, /<circle cx="342\.0" /);
});
