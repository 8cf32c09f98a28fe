import t from 'tap';
import {
  CALM_MS,
  initialLayerState,
  ladderOf,
  levels,
  MAX_CALM_MS,
  nextLayerState,
  type LayerReport,
  type LayerState,
} from '../../server/media/layer-policy.ts';

/** 3 layers at 720p: 180p, 360p, 720p. */
const LADDER = ladderOf(3, 720);
const TOP = levels(LADDER).length - 1;

/** A clean report from a 1080-px-high player with no bandwidth estimate. */
const CLEAN: LayerReport = { lossPercent: 0, freezes: 0, freezeMs: 0, framesDropped: 0, jitterBufferMs: 40, bandwidthKbps: null, displayHeight: 1080 };
const LOSSY: Partial<LayerReport> = { lossPercent: 15 };
const FREEZING: Partial<LayerReport> = { freezes: 1, freezeMs: 600, framesDropped: 3 };

/** Reports one second apart, recorded as a sequence of figures; every state after each, with the time. */
function replay(sequence: Partial<LayerReport>[], state: LayerState = initialLayerState(LADDER, 0), start = 1000): { states: LayerState[]; last: LayerState } {
  const states: LayerState[] = [];
  let now = start;
  for (const figures of sequence) {
    state = nextLayerState(state, { ...CLEAN, ...figures }, LADDER, now);
    states.push(state);
    now += 1000;
  }
  return { states, last: state };
}

const repeat = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);
/** How many times the chosen substream changed over a replay. */
const switches = (states: LayerState[]) => states.filter((s, i) => i > 0 && s.choice.substream !== states[i - 1]!.choice.substream).length;

t.test('the ladder: three layers at 720p are 180p, 360p, 720p; two at 480p are 240p, 480p', async (t) => {
  t.same(LADDER.heights, [180, 360, 720]);
  t.same(ladderOf(2, 480).heights, [240, 480]);
  t.ok(LADDER.kbps[0]! < LADDER.kbps[1]! && LADDER.kbps[1]! < LADDER.kbps[2]!, 'bitrates grow with the layers');
  t.same(levels(ladderOf(1, 720)).map((l) => [l.substream, l.temporal]), [[0, 0], [0, 1], [0, 2]], 'one layer: only temporal levels');
});

t.test('a clean link and a large player: the top layer, "best"', async (t) => {
  const { last, states } = replay(repeat(30, {}));
  t.match(last.choice, { substream: 2, temporal: 2, height: 720, reason: 'best' });
  t.equal(switches(states), 0, 'never switched');
});

t.test('a degrading link: down fast, one level per trouble, never below the lowest', async (t) => {
  const { states } = replay([{}, { lossPercent: 3 }, { lossPercent: 3 }, ...repeat(3, LOSSY), ...repeat(8, { ...FREEZING, lossPercent: 5 })]);
  const at = (i: number) => states[i]!.choice;
  t.match(at(0), { substream: 2, reason: 'best' }, 'clean: top');
  t.match(at(2), { substream: 1, height: 360, reason: 'loss' }, 'two mild reports in a row: one layer down');
  t.match(at(4), { substream: 0, height: 180, reason: 'loss' }, 'heavy loss after the settling time: the lowest layer');
  const last = states.at(-1)!.choice;
  t.match(last, { substream: 0, temporal: 0, reason: 'freezes' }, 'still freezing: the lowest frame rate too');
  t.ok(states.every((s) => s.net >= 0));
});

t.test('freezes without loss (a busy decoder as much as a link) lower the resolution, not the frame rate', async (t) => {
  const { last } = replay(repeat(12, FREEZING));
  t.match(last.choice, { substream: 0, temporal: 2, reason: 'freezes' });
  const short = replay([{ freezes: 1, freezeMs: 200 }, {}, { freezes: 1, freezeMs: 200 }]);
  t.equal(switches(short.states), 0, 'a short freeze now and then: no switch');
  t.equal(short.last.choice.substream, 2);
});

t.test('one mild report alone does not switch', async (t) => {
  const { states } = replay([{ lossPercent: 3 }, {}, { lossPercent: 3 }, {}, { framesDropped: 6 }, {}]);
  t.equal(switches(states), 0);
  t.equal(states.at(-1)!.choice.substream, 2);
});

t.test('recovery: up one level at a time, each after a calm period, back to the top', async (t) => {
  const down = replay(repeat(6, FREEZING)).last;
  t.equal(down.choice.substream, 0, 'down first');
  const { states } = replay(repeat(60, {}), down, 7000);
  const firstUp = states.findIndex((s) => s.net > down.net);
  t.ok(firstUp * 1000 >= CALM_MS - 1000, `no step up before the calm period (first after ${firstUp + 1} s)`);
  const seen = new Set(states.map((s) => s.choice.substream));
  t.same([...seen].sort(), [0, 1, 2], 'passes through 360p on the way up');
  t.match(states.at(-1)!.choice, { substream: 2, temporal: 2, reason: 'best' }, 'back to the top');
});

t.test('a flapping link (5 s bad, 12 s good, over 5 minutes) settles instead of switching every cycle', async (t) => {
  const cycle = [...repeat(5, LOSSY), ...repeat(12, {})];
  const { states } = replay(Array.from({ length: 18 }, () => cycle).flat());
  const cycles = 18;
  const n = switches(states);
  t.ok(n < cycles, `${n} switches in ${cycles} cycles`);
  t.ok(states.some((s) => s.calmMs > CALM_MS), 'failed steps up lengthened the calm needed');
  t.ok(states.every((s) => s.calmMs <= MAX_CALM_MS));
  // The same link with steady calm afterwards recovers fully.
  const after = replay(repeat(200, {}), states.at(-1), 400_000).last;
  t.equal(after.choice.substream, 2, 'a long calm brings it back to the top');
});

t.test('a bandwidth estimate: the highest level that fits, after two reports; up only when the next level fits', async (t) => {
  const { states } = replay([{}, {}, ...repeat(30, { bandwidthKbps: 800 })]);
  t.match(states[2]!.choice, { substream: 2 }, 'one report below is not enough');
  t.match(states[3]!.choice, { substream: 1, reason: 'bandwidth' }, '800 kbit/s twice: 360p');
  t.equal(states.at(-1)!.choice.substream, 1, 'stays at 360p while the estimate stays at 800 kbit/s');
  const low = replay([{}, {}, { bandwidthKbps: 100 }, { bandwidthKbps: 100 }]).last;
  t.match(low.choice, { substream: 0, reason: 'bandwidth' });
  t.ok(low.choice.temporal < 2, '100 kbit/s: the lowest layer at a lower frame rate');
  const { last } = replay(repeat(40, { bandwidthKbps: 5000 }), states.at(-1), 40_000);
  t.match(last.choice, { substream: 2, reason: 'best' }, 'the estimate grows: back to the top after calm');
});

t.test("a phone's small player: never more than its size needs, whatever the link", async (t) => {
  // 320×180 CSS px at devicePixelRatio 1: 180 device px high.
  const { states, last } = replay(repeat(20, { displayHeight: 180 }));
  t.match(states[0]!.choice, { substream: 0, temporal: 2, height: 180, reason: 'small player' }, 'the first report: 180p');
  t.equal(switches(states), 0);
  t.match(last.choice, { substream: 0, reason: 'small player' });
  // 390 CSS px wide at DPR 3, 16:9: about 658 device px high → 720p is needed; 300 px high → 360p.
  t.match(replay([{ displayHeight: 658 }]).last.choice, { substream: 2, reason: 'best' });
  t.match(replay([{ displayHeight: 300 }]).last.choice, { substream: 1, height: 360, reason: 'small player' });
  // Full screen later: up at once to what the network allows.
  const grown = nextLayerState(last, CLEAN, LADDER, 30_000);
  t.match(grown.choice, { substream: 2, reason: 'best' }, 'the player grows: the top layer');
});

t.test('a hidden tab: the lowest layer at its lowest frame rate; shown again: back at once', async (t) => {
  const { states, last } = replay([{}, ...repeat(10, { displayHeight: 0, freezes: 1 })]);
  t.match(states[1]!.choice, { substream: 0, temporal: 0, reason: 'hidden' });
  t.equal(last.net, TOP, "a hidden player's freezes do not count against its network level");
  const shown = nextLayerState(last, CLEAN, LADDER, 20_000);
  t.match(shown.choice, { substream: 2, temporal: 2, reason: 'best' });
});

t.test('a low estimate right after a switch (received against sent, distorted by it) does not count', async (t) => {
  // The small player moves the watcher to 180p; the next report's received rate is 180p's, the sender report's 720p's.
  const { states } = replay([{}, {}, { displayHeight: 180 }, { displayHeight: 180, bandwidthKbps: 120 }, { displayHeight: 180 }, ...repeat(5, {})]);
  t.match(states[3]!.choice, { substream: 0, temporal: 2, reason: 'small player' });
  t.match(states.at(-1)!.choice, { substream: 2, reason: 'best' }, 'the player grows: back to the top at once');
});

t.test('reports in the settling time after a switch do not step down again', async (t) => {
  let state = nextLayerState(initialLayerState(LADDER, 0), { ...CLEAN, lossPercent: 20 }, LADDER, 5000);
  t.equal(state.choice.substream, 1);
  state = nextLayerState(state, { ...CLEAN, lossPercent: 20 }, LADDER, 5500);
  t.equal(state.choice.substream, 1, 'half a second later: still 360p');
  state = nextLayerState(state, { ...CLEAN, lossPercent: 20 }, LADDER, 8000);
  t.equal(state.choice.substream, 0, 'after the settling time: 180p');
});
