/**
 * WHIP test helpers: an SDP offer of the shape OBS sends (audio Opus, video H.264 — or another codec — sendonly,
 * BUNDLE, the ICE credentials and a DTLS fingerprint; no candidates), and `whip()`, a fetch to the endpoint that
 * returns status, headers and body.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer';

/** A fake but well-formed DTLS fingerprint (Janus checks its form, not the certificate, before ICE). */
const fingerprint = () => [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

/**
 * An encoder's offer. `video` names the rtpmap encoding of its video section (`H264`, `VP8`, `AV1`...).
 * @param ufrag its ICE username fragment (what a PATCH must repeat)
 */
export function encoderOffer(o: { video?: string; ufrag?: string } = {}): string {
  const video = o.video ?? 'H264';
  const ufrag = o.ufrag ?? randomBytes(3).toString('hex');
  const ice = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${randomBytes(12).toString('hex')}`, 'a=ice-options:trickle', `a=fingerprint:sha-256 ${fingerprint()}`, 'a=setup:actpass'];
  const fmtp = video === 'H264' ? ['a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f'] : [];
  return [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    ...ice,
    'a=mid:0',
    'a=sendonly',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=ssrc:1001 cname:encoder',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    ...ice,
    'a=mid:1',
    'a=sendonly',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    `a=rtpmap:96 ${video}/90000`,
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    'a=rtcp-fb:96 ccm fir',
    ...fmtp,
    'a=ssrc:2002 cname:encoder',
    '',
  ].join('\r\n');
}

/** A trickle ICE fragment (RFC 8840) with one host candidate for both bundled sections, as Eyevinn's client writes it. */
export function candidateFrag(ufrag: string, pwd = 'x'.repeat(24)): string {
  const candidate = 'a=candidate:1 1 udp 2122260223 10.77.0.2 50000 typ host';
  return [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, 'm=audio 9 RTP/AVP 0', 'a=mid:0', candidate, 'm=video 9 RTP/AVP 0', 'a=mid:1', candidate, ''].join('\r\n');
}

export interface WhipResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The body as the endpoint's JSON error, when it is one. */
  error: { code: string; message: string } | null;
}

/** One request to the WHIP endpoint. */
export async function whip(url: string, init: { method: string; token?: string; type?: string; body?: string; headers?: Record<string, string> }): Promise<WhipResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.type !== undefined) headers['content-type'] = init.type;
  const res = await fetch(url, { method: init.method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const body = await res.text();
  const error = res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(body) as { code: string; message: string }) : null;
  return { status: res.status, headers: res.headers, body, error };
}

/** The MIME type of the codec the watcher page's video is decoded with (W3C webrtc-stats `codec`). */
export async function inboundVideoCodec(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const pc = (window.onair as { peerConnection(): RTCPeerConnection | null }).peerConnection();
    if (!pc) return null;
    const stats = await pc.getStats();
    let codecId: string | null = null;
    stats.forEach((s: { type: string; kind?: string; codecId?: string }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') codecId = s.codecId ?? null;
    });
    const codec = codecId === null ? undefined : (stats.get(codecId) as { mimeType?: string } | undefined);
    return codec?.mimeType ?? null;
  });
}
