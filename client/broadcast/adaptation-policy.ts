/**
 * The broadcaster's adaptation policy: how each watcher's video is encoded as the audience grows. A browser encodes
 * once per peer connection, so a mesh runs out of CPU (and uplink) with the audience; rather than let every
 * viewer's frame rate sag, the broadcaster steps down a ladder of resolution and bitrate for all of them, and keeps
 * the capture frame rate until the last rung.
 *
 * A pure function of stats in, encoding parameters out (no browser needed): `adapt()` takes one sample of every
 * sender's stats (W3C webrtc-stats: `outbound-rtp.qualityLimitationReason` and `framesPerSecond`, the selected
 * `candidate-pair.availableOutgoingBitrate`) and the previous state, and gives the next state and each sender's
 * target for `RTCRtpSender.setParameters` (W3C webrtc-pc §5.2: `maxBitrate` in bit/s, `scaleResolutionDownBy`,
 * `maxFramerate` in frames/s). `adaptation-loop.ts` samples and applies it in the page.
 *
 * The room's rung is the highest of:
 * - the audience rung: a floor from the number of watchers alone ({@link AUDIENCE_RUNGS}), so the encoders' total
 *   pixel rate stays about flat as watchers join, before anything suffers;
 * - the pressure rung: one rung down when any sender is CPU-limited or below 0.85× its target frame rate in
 *   {@link PRESSURE_SAMPLES} samples in a row (at most one step per {@link STEP_DOWN_HOLD_MS}); one rung back up
 *   after {@link CALM_MS} with every sender unlimited at ≥ 0.95× its target frame rate. A sender's frame rate
 *   counts once it has been connected for {@link SETTLE_MS} (the encoder ramps up first).
 * Bandwidth is per path: a sender that says `bandwidth` gets the first rung whose bitrate fits its
 * `availableOutgoingBitrate`, so a slow viewer gets fewer pixels rather than a stutter, at no cost to the others.
 */
import type { PressureReason } from '../../protocol/messages.ts';

/** One rung of the ladder. `scaleResolutionDownBy` divides each dimension of the captured video. */
export interface Rung {
  maxBitrateKbps: number;
  scaleResolutionDownBy: number;
  /** Share of the capture frame rate, 0–1. */
  frameRateShare: number;
}

/** The ladder, best first: resolution and bitrate go first; the frame rate only on the last rung. */
export const LADDER: readonly Rung[] = [
  { maxBitrateKbps: 2500, scaleResolutionDownBy: 1, frameRateShare: 1 },
  { maxBitrateKbps: 1200, scaleResolutionDownBy: 1.5, frameRateShare: 1 },
  { maxBitrateKbps: 700, scaleResolutionDownBy: 2, frameRateShare: 1 },
  { maxBitrateKbps: 350, scaleResolutionDownBy: 3, frameRateShare: 1 },
  { maxBitrateKbps: 200, scaleResolutionDownBy: 4, frameRateShare: 1 },
  { maxBitrateKbps: 150, scaleResolutionDownBy: 4, frameRateShare: 0.5 },
];

/**
 * The audience rung by watcher count: up to `AUDIENCE_RUNGS[0]` watchers rung 0, up to `[1]` rung 1, and so on.
 * Each rung has about half the pixels of the one above, so the total encoded pixel rate stays near that of four
 * full-resolution watchers (about half of two cores at 480p on the reference machine: 12% of a core per viewer).
 */
export const AUDIENCE_RUNGS: readonly number[] = [4, 8, 14, 24, 40];

/** Consecutive samples under pressure before stepping down (samples are about 1 s apart). */
export const PRESSURE_SAMPLES = 2;
/** Least time between two steps down, ms: the encoders need a moment to show the effect of the last one. */
export const STEP_DOWN_HOLD_MS = 3000;
/** Time with no pressure at all before stepping one rung back up, ms. */
export const CALM_MS = 15_000;
/** A sender's frame rate counts from this long after it connected, ms. */
export const SETTLE_MS = 3000;

/** One sender's stats at one sample. Unknown values are null. */
export interface SenderSample {
  /** Which watcher (any stable key). */
  id: string;
  /** `outbound-rtp.qualityLimitationReason`: `none`, `cpu`, `bandwidth` or `other`. */
  qualityLimitationReason: string | null;
  /** `outbound-rtp.framesPerSecond`: encoded frames per second. */
  framesPerSecond: number | null;
  /** The selected `candidate-pair.availableOutgoingBitrate`, kbit/s. */
  availableOutgoingKbps: number | null;
  /** Time since its peer connection connected, ms (0 when not connected yet). */
  connectedForMs: number;
}

/** What the policy remembers between samples. Start from {@link INITIAL_STATE}. */
export interface AdaptationState {
  /** The pressure rung. */
  pressureRung: number;
  /** Consecutive samples under pressure. */
  pressureSamples: number;
  /** When the pressure rung last stepped down, and when the last pressure was seen (ms, any clock). */
  lastStepDownAt: number;
  lastPressureAt: number;
}

export const INITIAL_STATE: AdaptationState = { pressureRung: 0, pressureSamples: 0, lastStepDownAt: -Infinity, lastPressureAt: -Infinity };

/** Encoding parameters for one sender's video, in `RTCRtpEncodingParameters` units. */
export interface EncodingTarget {
  /** bit/s */
  maxBitrate: number;
  scaleResolutionDownBy: number;
  /** frames/s */
  maxFramerate: number;
  /** The rung it comes from (for diagnostics). */
  rung: number;
}

export interface AdaptationResult {
  state: AdaptationState;
  /**
   * Why the pressure rung stepped down in this step (`cpu` when a sender said it is CPU-limited, else `framerate`),
   * or null when it did not: the page tells the server (`qualityLimited`), which may move the room to the SFU.
   */
  steppedDown: PressureReason | null;
  /** The room's rung (before per-sender bandwidth limits). */
  rung: number;
  /** Target per sender id. */
  targets: Map<string, EncodingTarget>;
}

const lastRung = LADDER.length - 1;

/** The audience rung for `watchers` watchers (see {@link AUDIENCE_RUNGS}). */
export function audienceRung(watchers: number): number {
  const index = AUDIENCE_RUNGS.findIndex((max) => watchers <= max);
  return Math.min(index < 0 ? AUDIENCE_RUNGS.length : index, lastRung);
}

/** The encoding target of rung `rung` for a capture at `captureFps` frames/s. */
export function targetOf(rung: number, captureFps: number): EncodingTarget {
  const r = LADDER[Math.max(0, Math.min(rung, lastRung))]!;
  return {
    maxBitrate: r.maxBitrateKbps * 1000,
    scaleResolutionDownBy: r.scaleResolutionDownBy,
    maxFramerate: Math.max(1, Math.round(captureFps * r.frameRateShare)),
    rung,
  };
}

/** The first rung at or below `from` whose bitrate fits `availableKbps` (with 10% headroom). */
function rungForBandwidth(from: number, availableKbps: number): number {
  let rung = from;
  while (rung < lastRung && LADDER[rung]!.maxBitrateKbps > availableKbps * 0.9) rung++;
  return rung;
}

/**
 * One step of the policy.
 *
 * @param samples    every sender's stats now (one per watcher with a peer connection)
 * @param captureFps the camera's frame rate, frames/s (`MediaTrackSettings.frameRate`)
 * @param state      the state the previous call returned, or {@link INITIAL_STATE}
 * @param now        the time, ms (any monotonic clock, e.g. `performance.now()`)
 * @returns the next state, the room's rung and a target for every sender
 */
export function adapt(samples: readonly SenderSample[], captureFps: number, state: AdaptationState, now: number): AdaptationResult {
  const expectedFps = targetOf(Math.max(audienceRung(samples.length), state.pressureRung), captureFps).maxFramerate;
  const fps = (s: SenderSample) => (s.connectedForMs >= SETTLE_MS ? s.framesPerSecond : null);
  const underPressure = samples.some((s) => s.qualityLimitationReason === 'cpu' || (fps(s) ?? Infinity) < 0.85 * expectedFps);
  const calm = samples.every((s) => (s.qualityLimitationReason ?? 'none') === 'none' && (fps(s) ?? Infinity) >= 0.95 * expectedFps);
  const next = { ...state };
  let steppedDown: PressureReason | null = null;
  if (underPressure) {
    next.pressureSamples++;
    next.lastPressureAt = now;
    if (next.pressureSamples >= PRESSURE_SAMPLES && now - state.lastStepDownAt >= STEP_DOWN_HOLD_MS && next.pressureRung < lastRung) {
      next.pressureRung++;
      next.pressureSamples = 0;
      next.lastStepDownAt = now;
      steppedDown = samples.some((s) => s.qualityLimitationReason === 'cpu') ? 'cpu' : 'framerate';
    }
  } else {
    next.pressureSamples = 0;
    if (!calm) next.lastPressureAt = now;
    else if (next.pressureRung > 0 && now - Math.max(state.lastPressureAt, state.lastStepDownAt) >= CALM_MS) {
      next.pressureRung--;
      next.lastPressureAt = now; // one rung per calm period
    }
  }
  const rung = Math.max(audienceRung(samples.length), next.pressureRung);
  const targets = new Map<string, EncodingTarget>();
  for (const s of samples) {
    let own = rung;
    if (s.qualityLimitationReason === 'bandwidth') {
      own = s.availableOutgoingKbps === null ? Math.min(rung + 1, lastRung) : rungForBandwidth(rung, s.availableOutgoingKbps);
    }
    targets.set(s.id, targetOf(own, captureFps));
  }
  return { state: next, rung, targets, steppedDown };
}
