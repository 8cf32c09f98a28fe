/**
 * The watcher's join, step by step: when each milestone of the time to first frame was reached, in ms since
 * navigation started (`performance.now()`, the page's time origin, High Resolution Time). Exposed as
 * `window.onair.timings()` for diagnostics, the e2e tests and `npm run bench`.
 *
 * Milestones, in the order they happen: `scriptStart` (the page's bundle runs), `wsOpen` (the relay's WebSocket is
 * open), `joined`, `offer` (received), `iceConnected` (`iceConnectionState` connected, RFC 8445), `dtlsConnected`
 * (`connectionState` connected: ICE and DTLS are up, so SRTP can flow), `firstFrame` (the `<video>` plays: the first
 * decoded frame is shown). Only the first occurrence of each counts; a milestone not reached yet is absent.
 */

export type Milestone = 'scriptStart' | 'wsOpen' | 'joined' | 'offer' | 'iceConnected' | 'dtlsConnected' | 'firstFrame';

/** Milestone → ms since navigation start (0.1 ms resolution). */
export type Timings = Partial<Record<Milestone, number>>;

export class JoinTimings {
  private readonly reached: Timings = {};

  /** Record `milestone` now (or at `at`, ms since navigation start), unless it was recorded before. */
  mark(milestone: Milestone, at: number = performance.now()): void {
    this.reached[milestone] ??= Math.round(at * 10) / 10;
  }

  /** Record `iceConnected` and `dtlsConnected` from a peer connection's state changes. */
  watch(pc: RTCPeerConnection): void {
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') this.mark('iceConnected');
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected') this.mark('dtlsConnected');
    });
  }

  /** A copy of the milestones reached so far. */
  toJSON(): Timings {
    return { ...this.reached };
  }
}
