/**
 * The watcher's player buttons: Unmute (browsers only autoplay muted video; `playsinline` keeps iOS Safari from
 * taking over the screen), Fullscreen (the Fullscreen API, or iOS Safari's `webkitEnterFullscreen` on the video) and
 * Picture in picture (disabled where the browser has none).
 */

interface WebkitVideo extends HTMLVideoElement {
  webkitEnterFullscreen?: () => void;
}

/** Wire the buttons to `video`; `pip` is optional (the embeddable player has none). */
export function setUpPlayer(video: HTMLVideoElement, buttons: { unmute: HTMLButtonElement; fullscreen: HTMLButtonElement; pip?: HTMLButtonElement }): void {
  const { unmute, fullscreen, pip } = buttons;
  unmute.addEventListener('click', () => {
    video.muted = !video.muted;
    unmute.textContent = video.muted ? 'Unmute' : 'Mute';
    if (!video.muted) void video.play().catch(() => {});
  });

  const webkit = video as WebkitVideo;
  fullscreen.disabled = !document.fullscreenEnabled && !webkit.webkitEnterFullscreen;
  fullscreen.addEventListener('click', () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else if (video.requestFullscreen) void video.requestFullscreen().catch((err: unknown) => console.warn('onair: fullscreen refused:', err));
    else webkit.webkitEnterFullscreen?.();
  });
  document.addEventListener('fullscreenchange', () => {
    fullscreen.textContent = document.fullscreenElement ? 'Exit fullscreen' : 'Fullscreen';
  });

  if (!pip) return;
  pip.disabled = !document.pictureInPictureEnabled;
  pip.addEventListener('click', () => {
    if (document.pictureInPictureElement) void document.exitPictureInPicture();
    else void video.requestPictureInPicture().catch((err: unknown) => console.warn('onair: picture in picture refused:', err));
  });
  video.addEventListener('enterpictureinpicture', () => (pip.textContent = 'Exit picture in picture'));
  video.addEventListener('leavepictureinpicture', () => (pip.textContent = 'Picture in picture'));
}
