/**
 * The SDP (RFC 8866) edits the simulated watcher makes to the broadcaster's offer, and what it reads from it.
 */

/** `a=rtcp-fb:<pt> transport-cc` (draft-holmer-rmcat-transport-wide-cc-extensions-01 §4). */
const TRANSPORT_CC_FEEDBACK = /^a=rtcp-fb:(?:\d+|\*) transport-cc\s*$/;
/** `a=extmap:<id>[/<direction>] <uri>` whose URI names transport-wide congestion control (either version). */
const TRANSPORT_CC_EXTENSION = /^a=extmap:\d+(?:\/\w+)? \S*transport-wide-cc\S*/;

/**
 * Remove transport-wide congestion control from an offer: every `a=rtcp-fb:<pt> transport-cc` line and every
 * `a=extmap` header extension whose URI is a transport-wide-cc one. Everything else, line endings included, stays
 * byte for byte the same.
 *
 * Why: node-datachannel never sends transport-cc feedback, so a Chrome sender that negotiated it sees no feedback
 * and its bandwidth estimate collapses to about 100 kbit/s. Without it, Chrome falls back to the receiver's REMB
 * reports (`goog-remb`, draft-alvestrand-rmcat-remb-03), which the watcher sends.
 *
 * @param sdp an SDP offer, lines ended by CRLF or LF
 * @returns the same offer without transport-cc
 */
export function stripTransportCc(sdp: string): string {
  const lines = sdp.split(/(?<=\n)/);
  return lines.filter((line) => {
    const text = line.replace(/\r?\n$/, '');
    return !TRANSPORT_CC_FEEDBACK.test(text) && !TRANSPORT_CC_EXTENSION.test(text);
  }).join('');
}

/**
 * The media identification tags (`a=mid`, RFC 8843) of an SDP's media sections, in m-line order; index `i` is the
 * mid of `sdpMLineIndex` `i`. A media section without `a=mid` gets `null`.
 *
 * @param sdp an SDP description
 */
export function mediaIds(sdp: string): (string | null)[] {
  const mids: (string | null)[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) mids.push(null);
    else if (line.startsWith('a=mid:') && mids.length > 0) mids[mids.length - 1] = line.slice('a=mid:'.length).trim();
  }
  return mids;
}

/**
 * Payload type → encoding name (upper case, e.g. `VP8`, `H264`, `RTX`) from every `a=rtpmap` line (RFC 8866 §6.6).
 *
 * @param sdp an SDP description
 */
export function payloadCodecs(sdp: string): Map<number, string> {
  const codecs = new Map<number, string>();
  for (const match of sdp.matchAll(/^a=rtpmap:(\d+) ([^/\s]+)\//gm)) codecs.set(Number(match[1]), match[2]!.toUpperCase());
  return codecs;
}
