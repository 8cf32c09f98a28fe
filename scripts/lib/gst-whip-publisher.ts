/**
 * Running `gst-whip-publisher.py` (next to this file): a WHIP (RFC 9725) encoder sending what OBS sends, H.264
 * (keyframe every second, no B-frames) and Opus from GStreamer's webrtcbin, its candidates in the offer. Used by the
 * WHIP tests and the benchmark.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('gst-whip-publisher.py', import.meta.url));
/** Debian's Python, where python3-gst-1.0 is installed (not a `python3` of pyenv or a virtualenv earlier on PATH). */
const PYTHON = '/usr/bin/python3';

export interface GstWhipPublisher {
  /** The session's resource URL (from the 201's `Location`). */
  readonly resource: string;
  /** SIGTERM: the encoder DELETEs its resource and exits. @returns its last line (`DELETED <status>`) and exit code */
  stop(): Promise<{ line: string | undefined; code: number | null }>;
  /** SIGKILL, for teardowns. */
  kill(): void;
}

/** The H.264 profiles the encoder can send (OBS's x264 sends `high` unless told otherwise). */
export type H264Profile = 'constrained-baseline' | 'main' | 'high';

/**
 * Start publishing to `endpoint` with `token` as the bearer token, H.264 in `profile` (default constrained baseline).
 * `options.clock`: the picture is a clock (each frame's wall-clock time, Unix ms modulo 2^40, in blocks along its top:
 * see the script's docstring) rather than a moving test pattern, for glass-to-glass measures.
 * @throws Error with the encoder's own words when it was not published (`ERROR <status> <body>`, or it exited)
 */
export async function startGstWhipPublisher(
  endpoint: string,
  token: string,
  profile: H264Profile = 'constrained-baseline',
  options: { clock?: boolean } = {},
): Promise<GstWhipPublisher> {
  const encoder = spawn(PYTHON, [SCRIPT, endpoint, token, profile, ...(options.clock ? ['clock'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => encoder.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: encoder.stdout })[Symbol.asyncIterator]();
  const first = (await lines.next()).value as string | undefined;
  if (!first?.startsWith('RESOURCE ')) {
    encoder.kill('SIGKILL');
    throw new Error(`the GStreamer encoder was not published: ${first ?? 'it exited'}`);
  }
  return {
    resource: first.slice('RESOURCE '.length),
    async stop() {
      encoder.kill('SIGTERM');
      const line = (await lines.next()).value as string | undefined;
      return { line, code: await exited };
    },
    kill: () => void encoder.kill('SIGKILL'),
  };
}
