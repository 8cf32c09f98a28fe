import t from 'tap';
import {
  adapt,
  audienceRung,
  AUDIENCE_RUNGS,
  CALM_MS,
  INITIAL_STATE,
  LADDER,
  PRESSURE_SAMPLES,
  SETTLE_MS,
  STEP_DOWN_HOLD_MS,
  targetOf,
  type AdaptationState,
  type SenderSample,
} from '../../../client/broadcast/adaptation-policy.ts';

const FPS = 30;

/** `n` settled senders with the same stats. */
function senders(n: number, stats: Partial<SenderSample> = {}): SenderSample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `w${i}`,
    qualityLimitationReason: 'none',
    framesPerSecond: FPS,
    availableOutgoingKbps: 5000,
    connectedForMs: SETTLE_MS,
    ...stats,
  }));
}

/** Run the policy over `steps` samples 1 s apart from `state`; the last result. */
function run(samples: SenderSample[], steps: number, state: AdaptationState = INITIAL_STATE, start = 0) {
  let result = adapt(samples, FPS, state, start);
  for (let i = 1; i < steps; i++) result = adapt(samples, FPS, result.state, start + i * 1000);
  return result;
}

t.test('the ladder gives up resolution and bitrate before frame rate', async (t) => {
  for (let i = 1; i < LADDER.length; i++) {
    const [above, below] = [LADDER[i - 1]!, LADDER[i]!];
    t.ok(below.maxBitrateKbps < above.maxBitrateKbps, `rung ${i} has less bitrate`);
    t.ok(below.scaleResolutionDownBy >= above.scaleResolutionDownBy, `rung ${i} has no more pixels`);
    if (below.frameRateShare < 1) t.equal(below.scaleResolutionDownBy, LADDER[i - 1]!.scaleResolutionDownBy, 'frame rate goes only once resolution is at its floor');
  }
  t.same(targetOf(0, FPS), { maxBitrate: 2_500_000, scaleResolutionDownBy: 1, maxFramerate: 30, rung: 0 });
  t.equal(targetOf(LADDER.length - 1, FPS).maxFramerate, 15);
  t.equal(targetOf(99, FPS).scaleResolutionDownBy, LADDER.at(-1)!.scaleResolutionDownBy, 'clamped to the last rung');
});

t.test('the audience rung grows with the watchers', async (t) => {
  t.equal(audienceRung(0), 0);
  t.equal(audienceRung(AUDIENCE_RUNGS[0]!), 0);
  t.equal(audienceRung(AUDIENCE_RUNGS[0]! + 1), 1);
  t.equal(audienceRung(AUDIENCE_RUNGS[1]! + 1), 2);
  t.equal(audienceRung(10_000), LADDER.length - 1);
  const result = adapt(senders(AUDIENCE_RUNGS[1]! + 1), FPS, INITIAL_STATE, 0);
  t.equal(result.rung, 2, 'a healthy large audience starts at its audience rung');
  t.equal(result.targets.size, AUDIENCE_RUNGS[1]! + 1, 'one target per sender');
  for (const target of result.targets.values()) t.equal(target.rung, 2);
});

t.test('a healthy small audience stays at the top', async (t) => {
  const result = run(senders(3), 30);
  t.equal(result.rung, 0);
  t.same(result.state.pressureRung, 0);
});

t.test('CPU pressure steps down one rung after PRESSURE_SAMPLES samples, then holds before the next step', async (t) => {
  const cpu = senders(2, { qualityLimitationReason: 'cpu' });
  t.equal(run(cpu, PRESSURE_SAMPLES - 1).rung, 0, 'one sample is not enough');
  const first = run(cpu, PRESSURE_SAMPLES);
  t.equal(first.rung, 1, 'one rung down');
  const held = adapt(cpu, FPS, adapt(cpu, FPS, first.state, PRESSURE_SAMPLES * 1000).state, PRESSURE_SAMPLES * 1000 + 500);
  t.equal(held.rung, 1, `no second step within ${STEP_DOWN_HOLD_MS} ms`);
  t.ok(run(cpu, 60).rung === LADDER.length - 1, 'sustained pressure reaches the last rung, no further');
});

t.test('a step down under pressure says why (the page tells the server); no other step does', async (t) => {
  const cpu = senders(2, { qualityLimitationReason: 'cpu' });
  t.equal(run(cpu, PRESSURE_SAMPLES - 1).steppedDown, null, 'pressure not yet acted on');
  t.equal(run(cpu, PRESSURE_SAMPLES).steppedDown, 'cpu', 'a CPU-limited encoder');
  const first = run(cpu, PRESSURE_SAMPLES);
  t.equal(adapt(cpu, FPS, first.state, PRESSURE_SAMPLES * 1000).steppedDown, null, 'held: no step, nothing to say');
  t.equal(run(senders(2, { framesPerSecond: 20 }), PRESSURE_SAMPLES).steppedDown, 'framerate', 'a sagging frame rate');
  t.equal(adapt(senders(AUDIENCE_RUNGS[0]! + 1), FPS, INITIAL_STATE, 0).steppedDown, null, 'the audience rung is no pressure');
  const down = run(cpu, PRESSURE_SAMPLES);
  t.equal(run(senders(2), CALM_MS / 1000 + 2, down.state, PRESSURE_SAMPLES * 1000).steppedDown, null, 'stepping back up');
});

t.test('a sagging frame rate is pressure, but not while a sender settles', async (t) => {
  t.equal(run(senders(2, { framesPerSecond: 20 }), 4).rung, 1, '20 of 30 fps: step down');
  t.equal(run(senders(2, { framesPerSecond: 20, connectedForMs: SETTLE_MS - 1 }), 4).rung, 0, 'ignored while settling');
  t.equal(run(senders(2, { framesPerSecond: null }), 4).rung, 0, 'unknown frame rate is no pressure');
});

t.test('calm steps back up one rung per CALM_MS, never above the audience rung', async (t) => {
  const down = run(senders(2, { qualityLimitationReason: 'cpu' }), PRESSURE_SAMPLES);
  t.equal(down.rung, 1);
  const healthy = senders(2);
  const early = run(healthy, CALM_MS / 1000 - 1, down.state, PRESSURE_SAMPLES * 1000);
  t.equal(early.rung, 1, 'still down before the calm period is over');
  const later = run(healthy, CALM_MS / 1000 + 2, down.state, PRESSURE_SAMPLES * 1000);
  t.equal(later.rung, 0, 'back up');
  const crowd = senders(AUDIENCE_RUNGS[0]! + 1);
  t.equal(run(crowd, 60, down.state, 10_000).rung, 1, 'a calm crowd stays at its audience rung');
  t.equal(run(senders(2, { qualityLimitationReason: 'other' }), 60, down.state, 10_000).rung, 1, 'not calm: no step up');
});

t.test('bandwidth is per sender: only the limited one gets the rung its available bitrate fits', async (t) => {
  const samples = senders(3);
  samples[1] = { ...samples[1]!, qualityLimitationReason: 'bandwidth', availableOutgoingKbps: 500 };
  samples[2] = { ...samples[2]!, qualityLimitationReason: 'bandwidth', availableOutgoingKbps: null };
  const result = adapt(samples, FPS, INITIAL_STATE, 0);
  t.equal(result.rung, 0, 'the room is unaffected');
  t.equal(result.targets.get('w0')!.rung, 0);
  t.equal(result.targets.get('w1')!.rung, 3, '350 kbit/s fits 500 × 0.9');
  t.equal(result.targets.get('w2')!.rung, 1, 'unknown available bitrate: one rung down');
  const unlimited = adapt(senders(1, { availableOutgoingKbps: 100 }), FPS, INITIAL_STATE, 0);
  t.equal(unlimited.targets.get('w0')!.rung, 0, 'a low estimate without a bandwidth limitation (ramp-up) changes nothing');
});
