/**
 * The watcher page (`/watch?room=…`): joins the room as a watcher, plays the broadcast muted (browsers block
 * unmuted autoplay) with an Unmute button, and shows where things stand: waiting, connecting, live, ended. When the
 * broadcast ends and starts again, or the relay connection drops, it reconnects by itself.
 */
import { rtcConfiguration } from '../shared/candidates.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { Viewer } from './viewer.ts';

const video = byId('video', HTMLVideoElement);
const unmute = byId('unmute', HTMLButtonElement);
const status = byId('status', HTMLElement);
const roomLabel = byId('room-name', HTMLElement);

type WatchState = 'connecting-relay' | 'waiting' | 'connecting' | 'live' | 'ended' | 'reconnecting' | 'error';

const STATUS_TEXT: Record<WatchState, string> = {
  'connecting-relay': 'Connecting to the server…',
  waiting: 'Waiting for the broadcast',
  connecting: 'Connecting',
  live: 'Live',
  ended: 'Broadcast ended',
  reconnecting: 'Connection lost, reconnecting…',
  error: 'Error',
};

function show(state: WatchState, detail?: string): void {
  setPageState(state);
  status.textContent = detail ? `${STATUS_TEXT[state]}: ${detail}` : STATUS_TEXT[state];
}

const room = roomFromQuery();
roomLabel.textContent = room;
let rtcConfig: RTCConfiguration = {};
const signaling = new SignalingClient(relayUrl(), { room, role: 'watcher', ...joinToken() });
const viewer = new Viewer(signaling, () => rtcConfig, (stream) => {
  if (video.srcObject !== stream) video.srcObject = stream;
});

function request(broadcasterId: string): void {
  video.srcObject = null;
  viewer.request(broadcasterId);
  show('connecting');
}

signaling.on('joined', (joined) => {
  rtcConfig = rtcConfiguration(joined);
  viewer.close();
  if (joined.broadcaster) request(joined.broadcaster);
  else show('waiting');
});
signaling.on('broadcastAvailable', (m) => request(m.from));
signaling.on('offer', (m) => void viewer.onOffer(m).catch((err: unknown) => show('error', String(err))));
signaling.on('iceOfferCandidate', (m) => viewer.onCandidate(m));
signaling.on('broadcastEnded', () => {
  viewer.close();
  video.srcObject = null;
  show('ended');
});
signaling.onState((state, error) => {
  if (state === 'reconnecting') show('reconnecting');
  if (state === 'closed' && error) show('error', error.message);
});

video.addEventListener('playing', () => {
  // Time to first frame, in ms since navigation started (the page's time origin), for diagnostics and the tests.
  document.body.dataset.firstFrameMs ??= String(Math.round(performance.now()));
  show('live');
});
unmute.addEventListener('click', () => {
  video.muted = !video.muted;
  unmute.textContent = video.muted ? 'Unmute' : 'Mute';
  unmute.setAttribute('aria-pressed', String(!video.muted));
  if (!video.muted) void video.play().catch(() => {});
});

/** A read-only handle for diagnostics and tests: the current peer connection. */
window.onair = { peerConnection: () => viewer.peerConnection };

show('connecting-relay');
signaling.start();
