/**
 * Runs the adaptation policy (`adaptation-policy.ts`) in the broadcaster page: once a second it reads every video sender's
 * stats (`RTCRtpSender.getStats()`, W3C webrtc-stats), asks the policy for each one's encoding target and applies
 * what changed with `RTCRtpSender.setParameters()` (W3C webrtc-pc §5.2), with `degradationPreference`
 * `maintain-framerate` so that Chrome's own CPU adaptation also gives up pixels before frames. A new watcher's
 * sender gets the room's current rung before its offer goes out, so a joiner never starts above the others.
 */
import type { PressureReason } from '../../protocol/messages.ts';
import { adapt, audienceRung, INITIAL_STATE, targetOf, type AdaptationState, type EncodingTarget, type SenderSample } from './adaptation-policy.ts';

/** How often the stats are sampled, ms. */
export const SAMPLE_INTERVAL_MS = 1000;

/** What the page shows of the adaptation (`window.onair.adaptation()`). */
export interface AdaptationSnapshot {
  rung: number;
  /** The targets last applied, one per video sender, in peer-connection order. */
  targets: EncodingTarget[];
}

interface Tracked {
  id: string;
  connectedAt: number | null;
  applied: EncodingTarget | null;
}

/** The first video sender of `pc`, if it has a track. */
function videoSender(pc: RTCPeerConnection): RTCRtpSender | undefined {
  return pc.getSenders().find((s) => s.track?.kind === 'video');
}

/** One sender's sample from its stats report (outbound-rtp, and the selected candidate pair it refers to). */
async function sample(sender: RTCRtpSender, tracked: Tracked, now: number): Promise<SenderSample> {
  const stats = new Map<string, Record<string, unknown>>();
  (await sender.getStats()).forEach((s: Record<string, unknown>) => stats.set(s.id as string, s));
  const values = [...stats.values()];
  const outbound = values.find((s) => s.type === 'outbound-rtp');
  const transport = values.find((s) => s.type === 'transport');
  const pair = (transport && stats.get(transport.selectedCandidatePairId as string)) ?? values.find((s) => s.type === 'candidate-pair' && s.nominated);
  const available = pair?.availableOutgoingBitrate;
  return {
    id: tracked.id,
    qualityLimitationReason: typeof outbound?.qualityLimitationReason === 'string' ? outbound.qualityLimitationReason : null,
    framesPerSecond: typeof outbound?.framesPerSecond === 'number' ? outbound.framesPerSecond : null,
    availableOutgoingKbps: typeof available === 'number' ? available / 1000 : null,
    connectedForMs: tracked.connectedAt === null ? 0 : now - tracked.connectedAt,
  };
}

/**
 * Set `target` on `sender`'s encodings (all of them: one without simulcast).
 * @returns false when the sender has no encodings yet (before negotiation in some browsers)
 */
async function apply(sender: RTCRtpSender, target: EncodingTarget): Promise<boolean> {
  const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
  if (params.encodings.length === 0) return false;
  params.degradationPreference = 'maintain-framerate';
  for (const encoding of params.encodings) {
    encoding.maxBitrate = target.maxBitrate;
    encoding.scaleResolutionDownBy = target.scaleResolutionDownBy;
    encoding.maxFramerate = target.maxFramerate;
  }
  await sender.setParameters(params);
  return true;
}

const same = (a: EncodingTarget | null, b: EncodingTarget) =>
  a !== null && a.maxBitrate === b.maxBitrate && a.scaleResolutionDownBy === b.scaleResolutionDownBy && a.maxFramerate === b.maxFramerate;

export class AdaptationLoop {
  private state: AdaptationState = INITIAL_STATE;
  private rung = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  private nextId = 0;
  private readonly tracked = new WeakMap<RTCPeerConnection, Tracked>();
  private readonly pressureListeners = new Set<(reason: PressureReason) => void>();

  /**
   * @param peerConnections every watcher's peer connection, now
   * @param captureFps      the camera's frame rate, frames/s
   */
  constructor(
    private readonly peerConnections: () => RTCPeerConnection[],
    private readonly captureFps: () => number,
  ) {}

  /** Sample and adapt every {@link SAMPLE_INTERVAL_MS} until {@link stop}. */
  start(): void {
    this.timer ??= setInterval(() => void this.tick(), SAMPLE_INTERVAL_MS);
  }

  /**
   * Call `listener` each time the room steps down under pressure (not for the audience rung: that one is planned).
   * @returns a function that removes the listener
   */
  onStepDown(listener: (reason: PressureReason) => void): () => void {
    this.pressureListeners.add(listener);
    return () => this.pressureListeners.delete(listener);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A new watcher's peer connection, tracks added, offer not yet made: give its video the room's rung. */
  prepare(pc: RTCPeerConnection): void {
    const tracked = this.track(pc);
    const rung = Math.max(this.rung, audienceRung(this.peerConnections().length));
    const sender = videoSender(pc);
    const target = targetOf(rung, this.captureFps());
    if (sender) void apply(sender, target).then((done) => (tracked.applied = done ? target : null), () => {});
  }

  /** The room's rung and the targets applied (diagnostics and tests). */
  snapshot(): AdaptationSnapshot {
    const targets = this.peerConnections().flatMap((pc) => this.tracked.get(pc)?.applied ?? []);
    return { rung: this.rung, targets };
  }

  private track(pc: RTCPeerConnection): Tracked {
    let tracked = this.tracked.get(pc);
    if (!tracked) {
      const t: Tracked = (tracked = { id: String(this.nextId++), connectedAt: null, applied: null });
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') t.connectedAt ??= performance.now();
      });
      if (pc.connectionState === 'connected') t.connectedAt = performance.now();
      this.tracked.set(pc, t);
    }
    return tracked;
  }

  /** One sample of every sender, the policy, and the changes applied. A tick still running skips the next. */
  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = performance.now();
      const live = this.peerConnections().flatMap((pc) => {
        const sender = videoSender(pc);
        return sender && pc.connectionState !== 'closed' ? [{ sender, tracked: this.track(pc) }] : [];
      });
      const samples = await Promise.all(live.map(({ sender, tracked }) => sample(sender, tracked, now)));
      const result = adapt(samples, this.captureFps(), this.state, now);
      this.state = result.state;
      this.rung = result.rung;
      if (result.steppedDown) for (const listener of this.pressureListeners) listener(result.steppedDown);
      await Promise.all(
        live.map(async ({ sender, tracked }) => {
          const target = result.targets.get(tracked.id);
          if (!target || same(tracked.applied, target)) return;
          if (await apply(sender, target)) tracked.applied = target;
        }),
      );
    } catch (err) {
      console.warn('onair: adaptation step failed:', err);
    } finally {
      this.busy = false;
    }
  }
}
