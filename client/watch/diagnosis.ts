/**
 * Connectivity diagnosis in words: when no connection has formed a few seconds after the watcher asked, say why in
 * plain language, from what ICE (RFC 8445) shows in `getStats()`: which candidate types this browser gathered,
 * whether the broadcaster's candidates arrived, and which ICE servers the server gave. Never a silent black screen.
 */
import type { CandidateType } from '../shared/stats.ts';

/** What the diagnosis looks at. */
export interface DiagnosisInput {
  /** The server gave STUN / TURN URLs in `joined.iceServers`. */
  stun: boolean;
  turn: boolean;
  /** `joined.iceTransportPolicy`. */
  policy: RTCIceTransportPolicy;
  /** An offer arrived and a peer connection exists. */
  offered: boolean;
  /** `RTCPeerConnection.connectionState`, or null without one. */
  state: RTCPeerConnectionState | null;
  /** Candidate types this browser gathered, and the broadcaster's that arrived. */
  local: ReadonlySet<CandidateType>;
  remote: ReadonlySet<CandidateType>;
  /** Local candidate type of the selected pair, once connected. */
  selected: CandidateType | null;
}

export type DiagnosisCode =
  | 'no_offer'
  | 'relayed'
  | 'direct'
  | 'relay_without_turn'
  | 'turn_unreachable'
  | 'no_remote_candidates'
  | 'direct_blocked_no_turn'
  | 'trying_turn';

export interface Diagnosis {
  code: DiagnosisCode;
  /** Is this a problem (true) or just how the connection goes (false)? */
  problem: boolean;
  text: string;
}

/** Explain the state of the connection. The first rule that fits wins. */
export function diagnose(i: DiagnosisInput): Diagnosis {
  if (i.state === 'connected') {
    return i.selected === 'relay'
      ? { code: 'relayed', problem: false, text: 'Relaying via TURN: a direct connection to the broadcaster was not possible.' }
      : { code: 'direct', problem: false, text: 'Connected directly to the broadcaster.' };
  }
  if (!i.offered) {
    return { code: 'no_offer', problem: true, text: 'The broadcaster has not answered yet: its browser may be busy or its network slow. Still waiting…' };
  }
  if (i.policy === 'relay' && !i.turn) {
    return {
      code: 'relay_without_turn',
      problem: true,
      text: 'This server allows only relayed connections but has no TURN server configured — ask the operator to set TURN_URLS.',
    };
  }
  if (i.turn && !i.local.has('relay')) {
    return {
      code: 'turn_unreachable',
      problem: true,
      text: 'Cannot reach the TURN server (it may be down, blocked by a firewall, or refusing its credentials) — ask the operator to check TURN_URLS and TURN_SECRET.',
    };
  }
  if (i.remote.size === 0) {
    return {
      code: 'no_remote_candidates',
      problem: true,
      text: 'No network address has arrived from the broadcaster yet: its network may block WebRTC.',
    };
  }
  if (!i.turn) {
    return {
      code: 'direct_blocked_no_turn',
      problem: true,
      text: 'Direct connection blocked, no TURN server configured — ask the operator to set TURN_URLS.',
    };
  }
  return { code: 'trying_turn', problem: true, text: 'A direct connection failed; trying to relay via TURN…' };
}

/**
 * Is the media path known yet? Playback can begin a moment before the browser reports `connectionState: "connected"`
 * or names the selected candidate pair in `getStats()` (seen under load), so the page asks again until it is.
 */
export function pathKnown(i: DiagnosisInput): boolean {
  return i.state === 'connected' && i.selected !== null;
}

/** Gather the diagnosis input from a peer connection and its configuration. */
export async function inspect(pc: RTCPeerConnection | null, config: RTCConfiguration): Promise<DiagnosisInput> {
  const urls = (config.iceServers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const input: DiagnosisInput = {
    stun: urls.some((u) => /^stuns?:/.test(u)),
    turn: urls.some((u) => /^turns?:/.test(u)),
    policy: config.iceTransportPolicy ?? 'all',
    offered: pc !== null,
    state: pc?.connectionState ?? null,
    local: new Set(),
    remote: new Set(),
    selected: null,
  };
  if (!pc) return input;
  const byId = new Map<string, Record<string, unknown>>();
  (await pc.getStats()).forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
  for (const s of byId.values()) {
    const type = s.candidateType as CandidateType | undefined;
    if (s.type === 'local-candidate' && type) (input.local as Set<CandidateType>).add(type);
    if (s.type === 'remote-candidate' && type) (input.remote as Set<CandidateType>).add(type);
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = byId.get(s.selectedCandidatePairId);
      const local = pair && byId.get(String(pair.localCandidateId));
      input.selected = (local?.candidateType as CandidateType | undefined) ?? null;
    }
  }
  return input;
}
