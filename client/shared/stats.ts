/**
 * Reading a peer connection's `getStats()` (W3C webrtc-stats): the selected ICE candidate pair, the video RTP
 * streams, and rates computed from two reports in a row (kbit/s from `bytesSent`/`bytesReceived` deltas over the
 * reports' `timestamp`s, in ms).
 */

/** Local ICE candidate types (RFC 8445 §5.1.1): host, server reflexive (STUN), peer reflexive, relayed (TURN). */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

type Stat = Record<string, unknown> & { id: string; type: string; timestamp: number };

/** The parts of one report the pages show. Missing figures are null. */
export interface StatsSnapshot {
  /** ms, from the report */
  timestamp: number;
  /** Selected candidate pair: local and remote candidate types, RTT in ms. */
  local: CandidateType | null;
  remote: CandidateType | null;
  rttMs: number | null;
  /** Video RTP: bytes sent (outbound) or received (inbound). */
  videoBytes: number;
  /** All RTP bytes, audio and video (for uplink totals). */
  totalBytes: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  /** Inbound only: packets lost and received, jitter buffer delay (s) and emitted count (cumulative). */
  packetsLost: number;
  packetsReceived: number;
  jitterBufferDelay: number;
  jitterBufferEmittedCount: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isCandidateType = (v: unknown): v is CandidateType => v === 'host' || v === 'srflx' || v === 'prflx' || v === 'relay';

/** The selected candidate pair: from the transport's `selectedCandidatePairId`, or the nominated succeeded pair. */
function selectedPair(byId: Map<string, Stat>): Stat | undefined {
  for (const s of byId.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') return byId.get(s.selectedCandidatePairId);
  }
  for (const s of byId.values()) if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') return s;
  return undefined;
}

/**
 * Summarize one `getStats()` report.
 * @param direction `outbound` on the broadcaster (what it sends), `inbound` on the watcher (what it receives)
 */
export function snapshot(report: RTCStatsReport, direction: 'outbound' | 'inbound'): StatsSnapshot {
  const byId = new Map<string, Stat>();
  report.forEach((s: Stat) => byId.set(s.id, s));
  const pair = selectedPair(byId);
  const local = pair && byId.get(String(pair.localCandidateId));
  const remote = pair && byId.get(String(pair.remoteCandidateId));
  const rtt = num(pair?.currentRoundTripTime);
  const snap: StatsSnapshot = {
    timestamp: 0,
    local: isCandidateType(local?.candidateType) ? local.candidateType : null,
    remote: isCandidateType(remote?.candidateType) ? remote.candidateType : null,
    rttMs: rtt === null ? null : rtt * 1000,
    videoBytes: 0,
    totalBytes: 0,
    fps: null,
    width: null,
    height: null,
    packetsLost: 0,
    packetsReceived: 0,
    jitterBufferDelay: 0,
    jitterBufferEmittedCount: 0,
  };
  const rtpType = direction === 'outbound' ? 'outbound-rtp' : 'inbound-rtp';
  const bytesKey = direction === 'outbound' ? 'bytesSent' : 'bytesReceived';
  for (const s of byId.values()) {
    snap.timestamp = Math.max(snap.timestamp, s.timestamp);
    if (s.type !== rtpType) continue;
    const bytes = num(s[bytesKey]) ?? 0;
    snap.totalBytes += bytes;
    if (s.kind !== 'video') continue;
    snap.videoBytes += bytes;
    snap.fps = num(s.framesPerSecond) ?? snap.fps;
    snap.width = num(s.frameWidth) ?? snap.width;
    snap.height = num(s.frameHeight) ?? snap.height;
    snap.packetsLost += num(s.packetsLost) ?? 0;
    snap.packetsReceived += num(s.packetsReceived) ?? 0;
    snap.jitterBufferDelay += num(s.jitterBufferDelay) ?? 0;
    snap.jitterBufferEmittedCount += num(s.jitterBufferEmittedCount) ?? 0;
  }
  return snap;
}

/** kbit/s between two snapshots of the same connection (0 when time did not advance or counters reset). */
export function kbps(bytesNow: number, bytesBefore: number, msNow: number, msBefore: number): number {
  const ms = msNow - msBefore;
  const bytes = bytesNow - bytesBefore;
  return ms > 0 && bytes > 0 ? (bytes * 8) / ms : 0;
}

/** Human text for a candidate type. */
export const CANDIDATE_TEXT: Record<CandidateType, string> = {
  host: 'direct (host)',
  srflx: 'direct via STUN (srflx)',
  prflx: 'direct (prflx)',
  relay: 'relayed via TURN',
};

/** "1,234 kbit/s", "1.9 Mbit/s" */
export function formatBitrate(kbitPerS: number): string {
  return kbitPerS >= 10_000 ? `${(kbitPerS / 1000).toFixed(1)} Mbit/s` : `${Math.round(kbitPerS).toLocaleString('en')} kbit/s`;
}
