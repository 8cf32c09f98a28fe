/**
 * Syntactically valid SDP (RFC 8866, JSEP RFC 8829 shape) for the signalling-only simulation, where no peer
 * connection exists: the simulated broadcaster's offer (one VP8 video, one Opus audio, BUNDLE) and the simulated
 * watcher's answer to it, with fresh ICE credentials and a made-up DTLS fingerprint (RFC 8122). Sizes match what
 * Chrome sends closely enough for the relay to do the same work.
 */
import { randomBytes } from 'node:crypto';

const fingerprint = () => [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
const token = (bytes: number) => randomBytes(bytes).toString('base64').replace(/[+/=]/g, 'x');

function description(setup: 'actpass' | 'active', direction: 'sendonly' | 'recvonly'): string {
  const ice = [`a=ice-ufrag:${token(3)}`, `a=ice-pwd:${token(18)}`, 'a=ice-options:trickle', `a=fingerprint:sha-256 ${fingerprint()}`, `a=setup:${setup}`];
  const lines = [
    'v=0',
    `o=- ${BigInt(`0x${randomBytes(7).toString('hex')}`)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=msid-semantic: WMS onair',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    ...ice,
    'a=mid:0',
    `a=${direction}`,
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:96 VP8/90000',
    'a=rtcp-fb:96 goog-remb',
    'a=rtcp-fb:96 ccm fir',
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    'a=rtpmap:97 rtx/90000',
    'a=fmtp:97 apt=96',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    ...ice,
    'a=mid:1',
    `a=${direction}`,
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A broadcaster's offer: sendonly VP8 video and Opus audio, no candidates (they trickle). */
export const fakeOffer = (): string => description('actpass', 'sendonly');

/** A watcher's answer to {@link fakeOffer}: recvonly, DTLS client. */
export const fakeAnswer = (): string => description('active', 'recvonly');

/**
 * A host ICE candidate line (RFC 8839 §5.1) on loopback, as `RTCIceCandidateInit.candidate` (no `a=` prefix): about
 * the size of the candidates Chrome trickles.
 *
 * @param index makes the foundation and port differ between candidates
 */
export function fakeCandidate(index: number): string {
  const port = 40_000 + (index % 20_000);
  return `candidate:${1_000_000 + index} 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0 ufrag ${token(3)} network-id 1`;
}
