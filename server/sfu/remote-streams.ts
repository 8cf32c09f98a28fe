/**
 * What a Janus VideoRoom `add_remote_publisher` request needs to know of a publisher's media (its `streams`), read
 * from the SDP answer Janus gave that publisher: one entry per m-line (RFC 8866 §5.14), in m-line order (Janus
 * numbers a remote publisher's streams 0, 1… and demultiplexes the forwarded RTP by that index), with the codec the
 * answer chose (the first payload type of the m-line, RFC 3264 §6.1), and simulcast where the answer receives it
 * (RFC 8853 `a=simulcast:recv`). (Janus 1.1.2 takes its `h264_profile` as a boolean, so no profile is passed: the
 * remote publisher's subscribers get what the forwarded packets carry.)
 */

/** One published stream as `add_remote_publisher` takes it (Janus 1.1 `remote_publisher_stream_parameters`). */
export interface RemoteStream {
  type: 'audio' | 'video' | 'data';
  /** The m-line's index (0, 1…) and its `a=mid` (the index as text when it has none). */
  mindex: number;
  mid: string;
  /** Janus's codec name: `opus`, `vp8`, `h264`, `vp9`, `av1`… (none for data). */
  codec?: string;
  simulcast?: boolean;
  /** An m-line the answer rejected (port 0). */
  disabled?: boolean;
}

/**
 * The streams of a publication, from Janus's answer to the publisher.
 * @param answerSdp the SDP answer Janus sent the publisher
 * @returns one {@link RemoteStream} per m-line, in order; m-lines of other kinds are skipped
 * @throws Error when the SDP has no audio or video m-line
 */
export function remoteStreams(answerSdp: string): RemoteStream[] {
  const sections = answerSdp.split(/\r?\n(?=m=)/).slice(1);
  const streams: RemoteStream[] = [];
  sections.forEach((section, mindex) => {
    const m = /^m=(\w+) (\d+) \S+ ?(.*)$/m.exec(section);
    if (!m) return;
    const [, kind, port, formats] = m as unknown as [string, string, string, string];
    const type = kind === 'application' ? 'data' : kind;
    if (type !== 'audio' && type !== 'video' && type !== 'data') return;
    const stream: RemoteStream = { type, mindex, mid: /^a=mid:(\S+)/m.exec(section)?.[1] ?? String(mindex) };
    if (port === '0') return void streams.push({ ...stream, disabled: true });
    if (type !== 'data') {
      const pt = formats.split(' ')[0];
      stream.codec = (new RegExp(`^a=rtpmap:${pt} ([^/\\s]+)/`, 'm').exec(section)?.[1] ?? '').toLowerCase();
    }
    if (type === 'video' && /^a=simulcast:\s*recv /m.test(section)) stream.simulcast = true;
    streams.push(stream);
  });
  if (!streams.some((s) => s.type !== 'data' && !s.disabled)) throw new Error('the answer has no audio or video to forward');
  return streams;
}
