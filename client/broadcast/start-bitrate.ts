/**
 * The video bitrate a new peer connection starts at. Chrome's bandwidth estimate starts at 300 kbit/s; a 720p camera
 * frame does not fit in that, so its encoder drops the first frames and restarts at a quarter of the resolution,
 * which costs a late joiner about 200 ms before the first frame (measured: DTLS connected → first frame encoded
 * 210 ms at 300 kbit/s, 110 ms at 1500 kbit/s). Chrome reads its start bitrate from the `x-google-start-bitrate`
 * format parameter (kbit/s) of the negotiated video codecs; the broadcaster adds it to the watcher's answer before
 * applying it (the remote description is ours to read as we like; other browsers ignore the unknown parameter).
 * The bandwidth estimate (transport-cc / REMB) takes over from there, up or down.
 */

/** The start bitrate the broadcaster asks of Chrome, in kbit/s. */
export const START_BITRATE_KBPS = 1500;

const VIDEO_CODEC = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1)\/90000$/i;

/**
 * `sdp` with `x-google-start-bitrate=kbps` on every VP8, VP9, H.264 and AV1 payload type: appended to its
 * `a=fmtp` line (RFC 8866 §6.15), or on a new `a=fmtp` line after its `a=rtpmap` when it has none. A payload type
 * that already names a start bitrate is left as it is. Line endings (CRLF or LF) are kept.
 *
 * @param sdp  a session description (JSEP, RFC 8829)
 * @param kbps the start bitrate, kbit/s
 */
export function withStartBitrate(sdp: string, kbps: number = START_BITRATE_KBPS): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const videoTypes = new Set(lines.flatMap((line) => VIDEO_CODEC.exec(line)?.[1] ?? []));
  const withFmtp = new Set<string>();
  const out = lines.map((line) => {
    const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!fmtp || !videoTypes.has(fmtp[1]!)) return line;
    withFmtp.add(fmtp[1]!);
    return fmtp[2]!.includes('x-google-start-bitrate=') ? line : `${line};x-google-start-bitrate=${kbps}`;
  });
  return out
    .flatMap((line) => {
      const type = VIDEO_CODEC.exec(line)?.[1];
      return type && !withFmtp.has(type) ? [line, `a=fmtp:${type} x-google-start-bitrate=${kbps}`] : [line];
    })
    .join(eol);
}
