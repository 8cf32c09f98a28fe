/**
 * What the broadcaster sends: one audio and one video track at a time, from the camera and microphone
 * (`getUserMedia`), a screen share (`getDisplayMedia`, with its audio when the browser gives it), or audio only (no
 * video track). Switching swaps the tracks on every watcher's sender with `RTCRtpSender.replaceTrack`, so no watcher
 * renegotiates; mute disables a track (`enabled = false`: black video, silence); the quality is a capture
 * constraint (`applyConstraints`), so every sender gets it at once.
 */
import { Listeners } from '../../protocol/listeners.ts';
import { capture, type DeviceChoice } from './capture.ts';

export type Source = 'camera' | 'screen' | 'audio';
export type Quality = '360p' | '480p' | '720p';

/** Frame height of each quality, px (16:9 width). */
export const QUALITY_HEIGHT: Record<Quality, number> = { '360p': 360, '480p': 480, '720p': 720 };

/** Swaps the track of `kind` on every sender (null: send nothing of that kind). */
export type TrackSwap = (kind: 'audio' | 'video', track: MediaStreamTrack | null) => Promise<void>;

/**
 * Capture size for `quality`: a camera is asked for 16:9 at that height; a screen keeps its own shape and is only
 * scaled down (never up) to that height.
 */
function sizeConstraints(quality: Quality, source: Source): MediaTrackConstraints {
  const height = QUALITY_HEIGHT[quality];
  if (source === 'screen') return { height: { max: height } };
  return { height: { ideal: height }, width: { ideal: Math.round((height * 16) / 9) } };
}

export class LocalMedia {
  /** The tracks being sent (what the preview shows and the recorder records). */
  readonly stream = new MediaStream();
  source: Source = 'camera';
  quality: Quality = '720p';
  private muted = { audio: false, video: false };
  private readonly events = new Listeners<{ change: [] }>();

  /** @param swap replaces the track on every watcher's sender (set once the broadcast has an audience) */
  constructor(private readonly swap: TrackSwap) {}

  /**
   * Listen for the tracks changing (a source switch, or a screen share the user ended).
   * @returns a function that removes the listener
   */
  onChange(listener: () => void): () => void {
    return this.events.on('change', listener);
  }

  track(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return (kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks())[0] ?? null;
  }

  /**
   * Switch to `source`. On failure (permission refused, no device) nothing changes.
   * @throws DOMException from getUserMedia / getDisplayMedia
   */
  async use(source: Source, devices: DeviceChoice = {}): Promise<void> {
    if (source === 'camera') {
      const captured = await capture(devices, sizeConstraints(this.quality, 'camera'));
      await this.set('video', captured.getVideoTracks()[0] ?? null);
      await this.set('audio', captured.getAudioTracks()[0] ?? null);
    } else if (source === 'screen') {
      if (!navigator.mediaDevices?.getDisplayMedia) throw new TypeError('This browser cannot share its screen.');
      const shared = await navigator.mediaDevices.getDisplayMedia({ video: sizeConstraints(this.quality, 'screen'), audio: true });
      const video = shared.getVideoTracks()[0] ?? null;
      // Sharing ended from the browser's own "Stop sharing" bar: back to the camera.
      video?.addEventListener('ended', () => {
        if (this.track('video') === video) void this.use('camera', devices).catch((err: unknown) => console.warn('onair:', err));
      });
      await this.set('video', video);
      const audio = shared.getAudioTracks()[0];
      if (audio) await this.set('audio', audio);
      else if (!this.track('audio')) await this.set('audio', (await capture(devices, false)).getAudioTracks()[0] ?? null);
    } else {
      const keep = this.track('audio');
      const audio = keep && this.source !== 'screen' ? keep : ((await capture(devices, false)).getAudioTracks()[0] ?? null);
      await this.set('video', null);
      await this.set('audio', audio);
    }
    this.source = source;
    this.events.emit('change');
  }

  /** Mute or unmute the track of `kind` (stays muted across source switches). */
  mute(kind: 'audio' | 'video', muted: boolean): void {
    this.muted[kind] = muted;
    const track = this.track(kind);
    if (track) track.enabled = !muted;
  }

  isMuted(kind: 'audio' | 'video'): boolean {
    return this.muted[kind];
  }

  /** Apply a quality to the video track being sent (and to later captures). */
  async setQuality(quality: Quality): Promise<void> {
    this.quality = quality;
    await this.track('video')?.applyConstraints(sizeConstraints(quality, this.source));
  }

  /** Stop every track. */
  stopAll(): void {
    for (const track of this.stream.getTracks()) {
      track.stop();
      this.stream.removeTrack(track);
    }
  }

  private async set(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const old = this.track(kind);
    if (old === track) return;
    if (track) track.enabled = !this.muted[kind];
    await this.swap(kind, track);
    if (old) {
      this.stream.removeTrack(old);
      old.stop();
    }
    if (track) this.stream.addTrack(track);
  }
}
