/**
 * What the WHIP endpoint reads and writes of SDP and HTTP headers, as pure functions:
 * - {@link checkOffer}: an encoder's offer (RFC 8866 SDP, RFC 8829 JSEP) is readable and carries only media the room's
 *   Janus VideoRoom can take (video VP8 or H.264, audio Opus);
 * - {@link parseSdpFrag}: a trickle ICE SDP fragment (`application/trickle-ice-sdpfrag`, RFC 8840 §4.4) sent by PATCH
 *   (RFC 9725 §4.3);
 * - {@link iceServerLinks}: the STUN/TURN servers as `Link: <url>; rel="ice-server"` header values (RFC 9725 §4.6,
 *   RFC 8288).
 */
import type { IceServer } from '../../protocol/messages.ts';

/** Video codecs the room carries (rtpmap encoding names, upper case) and the audio codec. */
export const VIDEO_CODECS: readonly string[] = ['VP8', 'H264'];
export const AUDIO_CODECS: readonly string[] = ['OPUS'];

/** Why an SDP was refused: unreadable, or no usable codec in one of its media sections. */
export type SdpRefusal = { code: 'whip_bad_sdp' | 'whip_unsupported_codec'; detail: string };

/** What the endpoint keeps of an accepted offer. */
export interface OfferSummary {
  /** The ICE username fragment (session-level, else the first media section's). */
  iceUfrag: string;
  /** Video codecs the offer lists, upper case (`VP8`, `H264`, `AV1`...). */
  videoCodecs: string[];
}

const lines = (sdp: string): string[] => sdp.split(/\r?\n/).filter((line) => line.length > 0);

/**
 * Check an encoder's offer.
 *
 * @param sdp the request body (an SDP offer)
 * @returns its summary, or a refusal: `whip_bad_sdp` when it is not SDP (no `v=0`, a line not `<letter>=`, no media
 *   section, no ICE ufrag), `whip_unsupported_codec` when a video section offers neither VP8 nor H.264 or an audio
 *   section offers no Opus (an AV1- or HEVC-only OBS)
 */
export function checkOffer(sdp: string): OfferSummary | SdpRefusal {
  const all = lines(sdp);
  if (all[0] !== 'v=0') return { code: 'whip_bad_sdp', detail: 'the body does not start with "v=0"' };
  const bad = all.find((line) => !/^[a-z]=/.test(line));
  if (bad !== undefined) return { code: 'whip_bad_sdp', detail: `not an SDP line: ${JSON.stringify(bad.slice(0, 40))}` };
  const sections: { kind: string; codecs: string[] }[] = [];
  let iceUfrag: string | null = null;
  for (const line of all) {
    const media = /^m=(\w+) /.exec(line);
    if (media) sections.push({ kind: media[1]!, codecs: [] });
    const rtpmap = /^a=rtpmap:\d+ ([^/]+)\//.exec(line);
    if (rtpmap && sections.length > 0) sections.at(-1)!.codecs.push(rtpmap[1]!.toUpperCase());
    const ufrag = /^a=ice-ufrag:(\S+)/.exec(line);
    if (ufrag) iceUfrag ??= ufrag[1]!;
  }
  if (sections.length === 0) return { code: 'whip_bad_sdp', detail: 'no media section (m=)' };
  if (iceUfrag === null) return { code: 'whip_bad_sdp', detail: 'no ICE credentials (a=ice-ufrag)' };
  for (const { kind, codecs } of sections) {
    const usable = kind === 'video' ? VIDEO_CODECS : kind === 'audio' ? AUDIO_CODECS : null;
    if (usable === null) return { code: 'whip_unsupported_codec', detail: `a "${kind}" media section: only audio and video are carried` };
    if (!codecs.some((c) => usable.includes(c))) {
      return { code: 'whip_unsupported_codec', detail: `${kind} offers ${codecs.join(', ') || 'no codec'}; the room carries ${usable.join(' or ')}` };
    }
  }
  const videoCodecs = [...new Set(sections.filter((s) => s.kind === 'video').flatMap((s) => s.codecs))];
  return { iceUfrag, videoCodecs };
}

/** A candidate from a fragment, as `RTCIceCandidateInit` carries it. */
export interface FragCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number;
}

/** A parsed trickle ICE fragment. */
export interface SdpFrag {
  iceUfrag: string | null;
  icePwd: string | null;
  /** Each distinct candidate once (clients such as Eyevinn's repeat every candidate under each bundled `mid`). */
  candidates: FragCandidate[];
  endOfCandidates: boolean;
}

/**
 * Parse an `application/trickle-ice-sdpfrag` body (RFC 8840 §4.4, §9): `a=ice-ufrag`, `a=ice-pwd`, `m=` lines each
 * with `a=mid`, `a=candidate` and `a=end-of-candidates` lines. Other attribute lines are ignored.
 *
 * @returns the fragment, or a `whip_bad_sdp` refusal when a line is not SDP
 */
export function parseSdpFrag(body: string): SdpFrag | SdpRefusal {
  const frag: SdpFrag = { iceUfrag: null, icePwd: null, candidates: [], endOfCandidates: false };
  const seen = new Set<string>();
  let index = -1;
  let mid: string | null = null;
  for (const line of lines(body)) {
    if (!/^[a-z]=/.test(line)) return { code: 'whip_bad_sdp', detail: `not an SDP fragment line: ${JSON.stringify(line.slice(0, 40))}` };
    if (line.startsWith('m=')) {
      index++;
      mid = null;
    } else if (line.startsWith('a=mid:')) {
      mid = line.slice('a=mid:'.length).trim();
    } else if (line.startsWith('a=ice-ufrag:')) {
      frag.iceUfrag = line.slice('a=ice-ufrag:'.length).trim();
    } else if (line.startsWith('a=ice-pwd:')) {
      frag.icePwd = line.slice('a=ice-pwd:'.length).trim();
    } else if (line.startsWith('a=candidate:')) {
      const candidate = line.slice('a='.length).trim();
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      frag.candidates.push({ candidate, sdpMid: mid, sdpMLineIndex: Math.max(index, 0) });
    } else if (line === 'a=end-of-candidates') {
      frag.endOfCandidates = true;
    }
  }
  return frag;
}

/** An RFC 8288 quoted-string. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * The ICE servers as `Link` header values (RFC 9725 §4.6): one per URL, `<stun:…>; rel="ice-server"`, and for TURN
 * `; username="…"; credential="…"; credential-type="password"`.
 */
export function iceServerLinks(servers: readonly IceServer[]): string[] {
  return servers.flatMap((server) =>
    server.urls.map((url) => {
      const link = `<${url}>; rel="ice-server"`;
      if (server.username === undefined || server.credential === undefined) return link;
      return `${link}; username=${quoted(server.username)}; credential=${quoted(server.credential)}; credential-type="password"`;
    }),
  );
}
