/**
 * The layer policy: which simulcast layer (and temporal layer) of the broadcaster's publication each SFU watcher
 * gets, from the figures its page reports (`layerReport`, docs/protocol.md). A pure function of reports in, layer
 * out, like the broadcaster's adaptation (`client/broadcast/adaptation-policy.ts`): no browser, no Janus. The SFU room
 * (`sfu-room.ts`) applies its choice with VideoRoom `configure` (`substream`, `temporal`) on the watcher's subscriber
 * handle (https://janus.conf.meetecho.com/docs/videoroom.html).
 *
 * The choice is the lower of two ceilings:
 * - the **player**: never more pixels than the watcher displays: the lowest layer at least {@link SIZE_MARGIN} of the
 *   displayed height (CSS px × devicePixelRatio); a hidden player or background tab (height 0) gets the lowest layer
 *   at its lowest frame rate;
 * - the **network level**, with hysteresis. Down: to the highest level whose bitrate fits in the page's bandwidth
 *   estimate (`availableIncomingBitrate`, or what it received against what the SFU's RTCP sender reports say was
 *   sent, RFC 3550 §6.4.1) after {@link MILD_REPORTS} reports in a row below the level; one level at once on heavy
 *   loss or a long freeze (or one with loss); one level after {@link MILD_REPORTS} reports in a row of mild trouble
 *   (some loss, a short freeze, dropped frames, a swollen jitter buffer). Freezes alone lower the resolution, never
 *   the frame rate. Up: one level after {@link CALM_MS} without trouble, and only to a level the estimate (if any)
 *   carries. A step up that meets trouble within {@link PROBATION_MS} doubles the calm needed before the next (up to
 *   {@link MAX_CALM_MS}), so a flapping link settles on the level it can hold instead of switching back and forth; a
 *   step up that holds resets it.
 * Reports in the {@link SETTLE_MS} after a change are not held against the new level (they measure the switch).
 *
 * Levels, lowest first: the lowest substream at temporal layers 0, 1, then every substream at its full frame rate
 * (temporal 2). Janus ignores `temporal` when the codec sends no temporal layers (VP8 in Chromium does).
 */

import type { LayerReason } from '../../protocol/messages.ts';

export type { LayerReason };

/** One `layerReport` from a watcher, figures over the interval since its previous report. */
export interface LayerReport {
  /** Packets lost / (lost + received) of its video in the interval, 0–100 (RTCP-style fraction lost). */
  lossPercent: number;
  /** `inbound-rtp.freezeCount` and `totalFreezesDuration` increments in the interval (count, ms). */
  freezes: number;
  freezeMs: number;
  /** `inbound-rtp.framesDropped` increment in the interval. */
  framesDropped: number;
  /** Mean `jitterBufferDelay` per emitted frame in the interval, ms. */
  jitterBufferMs: number;
  /** Its bandwidth estimate, kbit/s, or null when it has none. */
  bandwidthKbps: number | null;
  /** The video's displayed height in device pixels (CSS px × devicePixelRatio); 0 when hidden. */
  displayHeight: number;
}

/** A level the policy can choose: a simulcast substream (0 lowest) and a temporal layer (0 lowest frame rate … 2). */
export interface Level {
  substream: number;
  temporal: number;
}

/** The publication's layers: each substream's height (px) and the bitrate it needs (kbit/s), lowest first. */
export interface Ladder {
  heights: readonly number[];
  kbps: readonly number[];
}

/** The layer chosen for a watcher, and why. */
export interface LayerChoice extends Level {
  /** The substream's height, px. */
  height: number;
  reason: LayerReason;
}

/** What the policy remembers of one watcher between reports. Start from {@link initialLayerState}. */
export interface LayerState {
  /** The network level (index into {@link levels}) and why it is below the top, if it is. */
  net: number;
  netReason: LayerReason;
  /** Consecutive reports with mild trouble, and with a bandwidth estimate below the network level's bitrate. */
  mild: number;
  short: number;
  /** When the chosen level last changed, the network level last stepped up, the last trouble was seen (ms). */
  changedAt: number;
  upAt: number;
  troubleAt: number;
  /** Calm needed before the next step up, ms. */
  calmMs: number;
  choice: LayerChoice;
}

/** Reports of mild trouble in a row before one level down. */
export const MILD_REPORTS = 2;
/** Calm before a step up, ms (doubled after a failed one, up to {@link MAX_CALM_MS}). */
export const CALM_MS = 8_000;
export const MAX_CALM_MS = 64_000;
/** A step up that meets trouble this soon failed, ms. */
export const PROBATION_MS = 10_000;
/** Reports this soon after a change measure the switch, not the new level, ms. */
export const SETTLE_MS = 2_000;
/** A layer is enough for a player when its height is at least this share of the displayed height. */
export const SIZE_MARGIN = 0.9;
/** The share of a bandwidth estimate a level may use. */
export const BANDWIDTH_SHARE = 0.85;
/** Heavy trouble: this much loss (%) in one report steps down at once; mild trouble: {@link MILD_LOSS_PERCENT}. */
export const HEAVY_LOSS_PERCENT = 10;
export const MILD_LOSS_PERCENT = 2;
/** A freeze this long (ms, in one report) is heavy trouble; shorter, without loss, mild. */
export const HEAVY_FREEZE_MS = 500;
/** The lowest level freezes alone lead to: the lowest substream at its full frame rate. */
const FREEZE_FLOOR = 2;
/** Mild trouble: this many frames dropped in one report, or this jitter buffer delay (ms). */
export const MILD_FRAMES_DROPPED = 5;
export const MILD_JITTER_BUFFER_MS = 500;
/** The share of a substream's bitrate its temporal layers 0 and 1 need. */
const TEMPORAL_SHARE = [0.4, 0.6, 1] as const;

/**
 * The ladder of a publication with `layers` simulcast layers whose top one is `topHeight` px: each layer half the
 * height of the one above (the broadcaster's `scaleResolutionDownBy` 4, 2, 1), bitrates as Chromium sends them for
 * VP8 (about 150, 500, 1,500 kbit/s at 180p, 360p, 720p; proportional to the pixels).
 */
export function ladderOf(layers: number, topHeight: number): Ladder {
  const n = Math.max(1, Math.min(3, Math.round(layers)));
  const heights = Array.from({ length: n }, (_, i) => Math.round(topHeight / 2 ** (n - 1 - i)));
  const kbps = heights.map((h) => Math.round(1500 * (h / 720) ** 1.5 + 20));
  return { heights, kbps };
}

/** The levels of `ladder`, lowest first: the lowest substream at temporal 0 and 1, then each substream at temporal 2. */
export function levels(ladder: Ladder): Level[] {
  return [{ substream: 0, temporal: 0 }, { substream: 0, temporal: 1 }, ...ladder.heights.map((_, substream) => ({ substream, temporal: 2 }))];
}

/** The bitrate level `level` needs, kbit/s. */
function levelKbps(ladder: Ladder, level: Level): number {
  return (ladder.kbps[level.substream] ?? 0) * TEMPORAL_SHARE[Math.max(0, Math.min(2, level.temporal)) as 0 | 1 | 2];
}

function choiceOf(ladder: Ladder, level: Level, reason: LayerReason): LayerChoice {
  return { ...level, height: ladder.heights[level.substream] ?? 0, reason };
}

/** The highest level whose bitrate fits in {@link BANDWIDTH_SHARE} of `kbps` (the lowest when none does). */
function highestFitting(all: readonly Level[], ladder: Ladder, kbps: number): number {
  let level = all.length - 1;
  while (level > 0 && levelKbps(ladder, all[level]!) > kbps * BANDWIDTH_SHARE) level -= 1;
  return level;
}

/** A watcher's state before its first report: the top level (its player's size is not known yet). */
export function initialLayerState(ladder: Ladder, now: number): LayerState {
  const all = levels(ladder);
  const top = all.length - 1;
  return { net: top, netReason: 'best', mild: 0, short: 0, changedAt: now, upAt: -Infinity, troubleAt: -Infinity, calmMs: CALM_MS, choice: choiceOf(ladder, all[top]!, 'best') };
}

/** The trouble one report shows: `heavy` steps down at once, `mild` after {@link MILD_REPORTS} in a row. */
function trouble(r: LayerReport): { kind: 'heavy' | 'mild' | null; reason: LayerReason } {
  if (r.lossPercent >= HEAVY_LOSS_PERCENT) return { kind: 'heavy', reason: 'loss' };
  // A long freeze, or one with loss, is the network's; a short one alone may be a busy decoder: mild.
  if (r.freezes > 0) return { kind: r.freezeMs >= HEAVY_FREEZE_MS || r.lossPercent >= MILD_LOSS_PERCENT ? 'heavy' : 'mild', reason: 'freezes' };
  if (r.lossPercent >= MILD_LOSS_PERCENT) return { kind: 'mild', reason: 'loss' };
  if (r.framesDropped >= MILD_FRAMES_DROPPED || r.jitterBufferMs >= MILD_JITTER_BUFFER_MS) return { kind: 'mild', reason: 'freezes' };
  return { kind: null, reason: 'best' };
}

/**
 * The next state after one report.
 *
 * @param state  the watcher's state (from {@link initialLayerState} or the last call)
 * @param report the watcher's figures over the last interval
 * @param ladder the publication's layers (may change between calls: levels are re-read from it)
 * @param now    the time of the report, ms (any monotonic clock)
 * @returns the new state; `state.choice` is the layer to apply (compare with the old one to know if it changed)
 */
export function nextLayerState(state: LayerState, report: LayerReport, ladder: Ladder, now: number): LayerState {
  const all = levels(ladder);
  const top = all.length - 1;
  let { net, netReason, mild, short, upAt, troubleAt, calmMs } = state;
  net = Math.min(net, top);
  const settled = now - state.changedAt >= SETTLE_MS;
  // A hidden player's figures say nothing of what it would show (a background tab may not render at all).
  const seen = report.displayHeight > 0 ? trouble(report) : { kind: null, reason: 'best' as const };
  /** Lower the network level to `to` for `why`; a step up that failed on probation doubles the calm before the next. */
  const down = (to: number, why: LayerReason) => {
    if (now - upAt < PROBATION_MS) calmMs = Math.min(MAX_CALM_MS, calmMs * 2);
    upAt = -Infinity;
    troubleAt = now;
    [net, netReason, mild, short] = [to, why, 0, 0];
  };

  const fitting = report.bandwidthKbps === null ? top : highestFitting(all, ladder, report.bandwidthKbps);
  // An estimate below the level: after MILD_REPORTS in a row once settled (a switch distorts received against sent).
  short = fitting < net && report.displayHeight > 0 && settled ? short + 1 : 0;
  if (short >= MILD_REPORTS || (short > 0 && seen.kind === 'heavy')) {
    down(fitting, 'bandwidth');
  } else if (seen.kind && settled) {
    troubleAt = now;
    mild = seen.kind === 'mild' ? mild + 1 : 0;
    // Without loss or a bandwidth limit, fewer frames would not help: freezes alone stop at the lowest substream.
    const floor = seen.reason === 'freezes' && report.lossPercent < MILD_LOSS_PERCENT ? Math.min(net, FREEZE_FLOOR) : 0;
    if (seen.kind === 'heavy' || mild >= MILD_REPORTS) down(Math.max(floor, net - 1), seen.reason);
  } else if (!seen.kind) {
    mild = 0;
    if (upAt > troubleAt && now - upAt >= PROBATION_MS) calmMs = CALM_MS;
    // Up one level after calm, and only to a level the bandwidth estimate (if any) can carry.
    if (net < top && net < fitting && now - Math.max(troubleAt, state.changedAt, upAt) >= calmMs) {
      net += 1;
      upAt = now;
      if (net === top) netReason = 'best';
    }
  }

  let level = net;
  let reason: LayerReason = net < top ? netReason : 'best';
  if (report.displayHeight <= 0) {
    [level, reason] = [0, 'hidden'];
  } else {
    const need = ladder.heights.findIndex((h) => h >= report.displayHeight * SIZE_MARGIN);
    const sizeLevel = need < 0 ? top : need + 2;
    if (sizeLevel <= level && sizeLevel < top) [level, reason] = [sizeLevel, 'small player'];
  }

  const choice = choiceOf(ladder, all[level]!, reason);
  const moved = choice.substream !== state.choice.substream || choice.temporal !== state.choice.temporal;
  return { net, netReason, mild, short, upAt, troubleAt, calmMs, changedAt: moved ? now : state.changedAt, choice };
}
