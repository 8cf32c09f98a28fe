/**
 * The broadcaster's media controls: source (camera / screen share / audio only), camera and microphone pickers,
 * quality, mute camera / microphone, and local recording with its download link.
 */
import { byId } from '../shared/dom.ts';
import { fillDevicePicker } from './capture.ts';
import { Recording, recordingName } from './recorder.ts';
import type { LocalMedia, Quality, Source } from './local-media.ts';

const source = byId('source', HTMLSelectElement);
const camera = byId('camera', HTMLSelectElement);
const microphone = byId('microphone', HTMLSelectElement);
const quality = byId('quality', HTMLSelectElement);
const muteCamera = byId('mute-camera', HTMLButtonElement);
const muteMicrophone = byId('mute-microphone', HTMLButtonElement);
const record = byId('record', HTMLButtonElement);
const download = byId('recording', HTMLAnchorElement);
const recordingStatus = byId('recording-status', HTMLElement);

/** A toggle says its state one way only: its label names what a press does (no `aria-pressed` on top). */
function relabel(button: HTMLButtonElement, text: string): void {
  button.textContent = text;
}

/**
 * Wire the controls to `media`.
 * @param room    the room name now (for the recording's file name)
 * @param onError shows an error on the page
 * @returns a function that opens the chosen source (used at start-up)
 */
export function setUpControls(media: LocalMedia, room: () => string, onError: (err: unknown) => void): () => Promise<void> {
  let recording: Recording | null = null;

  const devices = () => ({ cameraId: camera.value || undefined, microphoneId: microphone.value || undefined });
  const open = async () => {
    await media.use(source.value as Source, devices());
  };
  const refreshPickers = async () => {
    camera.disabled = media.source !== 'camera';
    if (media.source === 'camera') await fillDevicePicker(camera, 'videoinput', media.track('video')?.getSettings().deviceId);
    await fillDevicePicker(microphone, 'audioinput', media.track('audio')?.getSettings().deviceId);
    muteCamera.disabled = media.track('video') === null;
  };

  const stopRecording = async () => {
    const current = recording;
    recording = null;
    relabel(record, 'Record');
    if (!current) return;
    const file = await current.stop();
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(file);
    download.download = recordingName(room());
    download.textContent = `Download recording (${(file.size / 1e6).toFixed(1)} MB)`;
    download.dataset.bytes = String(file.size);
    download.hidden = false;
  };

  media.onChange(() => {
    // The recorder holds the tracks it started with: a new source ends that recording (offered for download).
    if (recording) void stopRecording();
    source.value = media.source;
    void refreshPickers().catch(onError);
  });
  source.addEventListener('change', () => void open().catch((err: unknown) => {
    source.value = media.source;
    onError(err);
  }));
  camera.addEventListener('change', () => void open().catch(onError));
  microphone.addEventListener('change', () => void open().catch(onError));
  quality.addEventListener('change', () => void media.setQuality(quality.value as Quality).catch(onError));
  muteCamera.addEventListener('click', () => {
    media.mute('video', !media.isMuted('video'));
    relabel(muteCamera, media.isMuted('video') ? 'Unmute camera' : 'Mute camera');
  });
  muteMicrophone.addEventListener('click', () => {
    media.mute('audio', !media.isMuted('audio'));
    relabel(muteMicrophone, media.isMuted('audio') ? 'Unmute microphone' : 'Mute microphone');
  });
  record.disabled = typeof MediaRecorder === 'undefined';
  record.addEventListener('click', () => {
    if (recording) {
      void stopRecording().catch(onError);
      return;
    }
    try {
      recording = new Recording(media.stream);
      download.hidden = true;
      relabel(record, 'Stop recording');
      recordingStatus.dataset.state = 'recording';
    } catch (err) {
      onError(err);
    }
  });
  return open;
}
