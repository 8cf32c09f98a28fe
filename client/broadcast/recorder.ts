/**
 * Local recording of what is broadcast (`MediaRecorder`, WebM), offered as a download when stopped. Nothing is
 * uploaded: the file is made in the browser.
 */

/** The first WebM type this browser records, VP8/VP9 with Opus preferred. */
export function recordingType(): string {
  const types = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];
  return types.find((t) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(t)) ?? 'video/webm';
}

export class Recording {
  private readonly recorder: MediaRecorder;
  private readonly chunks: Blob[] = [];
  private readonly done: Promise<Blob>;

  /**
   * Start recording the tracks of `stream` as they are now (a source switch ends the recording: the page stops it).
   * @throws DOMException (NotSupportedError) when the browser cannot record
   */
  constructor(stream: MediaStream) {
    const type = recordingType();
    this.recorder = new MediaRecorder(new MediaStream(stream.getTracks()), { mimeType: type });
    this.done = new Promise((resolve) => {
      this.recorder.addEventListener('stop', () => resolve(new Blob(this.chunks, { type: type.split(';')[0] })));
    });
    this.recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    this.recorder.start(1000); // a chunk a second, so a long recording is not one huge buffer at the end
  }

  get recording(): boolean {
    return this.recorder.state !== 'inactive';
  }

  /** Stop and resolve with the WebM file. */
  stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    return this.done;
  }
}

/** A file name like `onair-main-2026-01-01T12-00-00.webm`. */
export function recordingName(room: string, at: Date = new Date()): string {
  return `onair-${room}-${at.toISOString().slice(0, 19).replace(/:/g, '-')}.webm`;
}
