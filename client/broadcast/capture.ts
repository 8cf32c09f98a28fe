/**
 * Capturing the camera and microphone (`getUserMedia`) and listing devices for the pickers.
 */

/** The chosen devices; `undefined` means the browser's default. */
export interface DeviceChoice {
  cameraId?: string | undefined;
  microphoneId?: string | undefined;
}

/**
 * Capture video and audio from the chosen devices.
 * @param video constraints for the camera on top of the device choice (default 1280×720), or false for audio only
 * @throws DOMException from getUserMedia (NotAllowedError, NotFoundError, …); on plain http outside localhost,
 *   `navigator.mediaDevices` is missing and a TypeError explains that a secure context is needed
 */
export async function capture(
  choice: DeviceChoice = {},
  video: MediaTrackConstraints | false = { width: { ideal: 1280 }, height: { ideal: 720 } },
): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new TypeError('Camera access needs a secure context: open this page over https or on localhost.');
  }
  return navigator.mediaDevices.getUserMedia({
    video: video && { ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}), ...video },
    audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
  });
}

/** Fill a `<select>` with the devices of one kind, selecting `selectedId` (the track in use). */
export async function fillDevicePicker(select: HTMLSelectElement, kind: MediaDeviceKind, selectedId: string | undefined): Promise<void> {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === kind);
  select.replaceChildren(
    ...devices.map((d, i) => {
      const option = new Option(d.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${i + 1}`, d.deviceId);
      option.selected = d.deviceId === selectedId;
      return option;
    }),
  );
  select.disabled = devices.length === 0;
}
