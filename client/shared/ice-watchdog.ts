/**
 * Healing one peer connection after a network change (RFC 8445 §2.4 ICE restart; W3C WebRTC `restartIce()`): when
 * its ICE connection state is `failed`, or `disconnected` for longer than {@link ICE_RECOVERY}.disconnectedMs, ask for
 * an ICE restart (a new offer over the relay); if that does not bring it back to `connected` within
 * `restartTimeoutMs`, try again up to `maxRestarts` times, then ask to close it. No DOM here, so it is tested in Node.
 *
 * Used by the broadcaster for each of its peer connections (it is their offerer: it restarts ICE itself), and by a
 * watcher for its connection from the SFU peer (Janus offers to subscribers: the watcher asks for a new subscription).
 */

/** Recovery policy, in ms and attempts. */
export const ICE_RECOVERY = { disconnectedMs: 3000, restartTimeoutMs: 10_000, maxRestarts: 2 } as const;

export type IceRecoveryAction = 'restart' | 'close';

/** The timer functions it uses (the page's own by default). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class IceWatchdog {
  private timer: unknown = null;
  private restarts = 0;
  private done = false;

  /**
   * @param act     called with `restart` (restart ICE and send a new offer) or `close` (give up: close it)
   * @param policy  see {@link ICE_RECOVERY}
   */
  constructor(
    private readonly act: (action: IceRecoveryAction) => void,
    private readonly policy: { disconnectedMs: number; restartTimeoutMs: number; maxRestarts: number } = ICE_RECOVERY,
    private readonly timers: Timers = GLOBAL_TIMERS,
  ) {}

  /** Feed every `iceConnectionState` change. */
  onState(state: RTCIceConnectionState): void {
    if (this.done) return;
    if (state === 'connected' || state === 'completed') {
      this.clear();
      this.restarts = 0;
    } else if (state === 'disconnected') {
      if (this.timer === null) this.timer = this.timers.setTimeout(() => this.recover(), this.policy.disconnectedMs);
    } else if (state === 'failed') {
      this.recover();
    } else if (state === 'closed') {
      this.stop();
    }
  }

  /** Stop watching (the connection is being closed). */
  stop(): void {
    this.clear();
    this.done = true;
  }

  private recover(): void {
    this.clear();
    if (this.done) return;
    if (this.restarts >= this.policy.maxRestarts) {
      this.stop();
      this.act('close');
      return;
    }
    this.restarts++;
    this.act('restart');
    this.timer = this.timers.setTimeout(() => this.recover(), this.policy.restartTimeoutMs);
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
