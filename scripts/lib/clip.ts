/**
 * The fake camera's clip for a Chromium broadcaster: a Y4M file (the format `--use-file-for-fake-video-capture`
 * reads) of ffmpeg's `testsrc2` pattern at a chosen size and frame rate, generated once and cached.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Seconds of video in a clip (Chromium loops it). */
const CLIP_SECONDS = 2;

/**
 * The path of a `testsrc2` Y4M clip (4:2:0), generating it with ffmpeg when it is not cached yet.
 *
 * @param width  frame width in pixels (even)
 * @param height frame height in pixels (even)
 * @param fps    frames per second
 * @param dir    the cache directory (default `<tmpdir>/onair-clips`)
 * @throws Error naming ffmpeg when it is missing or fails
 */
export async function testClip(width: number, height: number, fps: number, dir = join(tmpdir(), 'onair-clips')): Promise<string> {
  const path = join(dir, `testsrc2-${width}x${height}-${fps}.y4m`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.${process.pid}.partial.y4m`;
  const args = ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-t', String(CLIP_SECONDS), '-pix_fmt', 'yuv420p', partial];
  try {
    await run('ffmpeg', args);
  } catch (err) {
    throw new Error(`ffmpeg could not generate the fake camera clip (install it: bash scripts/install-system-deps.sh): ${(err as Error).message}`, { cause: err });
  }
  renameSync(partial, path);
  return path;
}
