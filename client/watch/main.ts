/**
 * The watcher page (`/watch?room=…`): joins the room as a watcher, plays the broadcast muted (browsers block
 * unmuted autoplay) with an Unmute button, and shows where things stand: waiting, connecting, live, ended. When the
 * broadcast ends and starts again, or the relay connection drops, it reconnects by itself.
 */
import { rtcConfiguration } from '../shared/candidates.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { JoinTimings } from './timings.ts';
import { Viewer } from './viewer.ts';

const timings = new JoinTimings();
timings.mark('scriptStart');

const video = byId('video', HTMLVideoElement);
const unmute = byId('unmute', HTMLButtonElement);
const status = byId('status', HTMLElement);
const roomLabel = byId('room-name', HTMLElement);

type WatchState = 'connecting-relay' | 'waiting' | 'connecting' | 'live' | 'ended' | 'reconnecting' | 'full' | 'error';

const STATUS_TEXT: Record<WatchState, string> = {
  'connecting-relay': 'Connecting to the server…',
  waiting: 'Waiting for the broadcast',
  connecting: 'Connecting',
  live: 'Live',
  ended: 'Broadcast ended',
  reconnecting: 'Connection lost, reconnecting…',
  full: 'This room is full: it has as many viewers as it can take. Reload the page to try again later.',
  error: 'Error',
};

function show(state: WatchState, detail?: string): void {
  setPageState(state);
  status.textContent = detail ? `${STATUS_TEXT[state]}: ${detail}` : STATUS_TEXT[state];
}

const room = roomFromQuery();
roomLabel.textContent = room;
let rtcConfig: RTCConfiguration = {};
// The fast join: a live broadcaster is asked for its offer by our `join` itself (docs/protocol.md).
const signaling = new SignalingClient(relayUrl(), { room, role: 'watcher', getBroadcast: true, ...joinToken() });
signaling.onOpen = () => timings.mark('wsOpen');
const viewer = new Viewer(signaling, () => rtcConfig, (stream) => {
  if (video.srcObject !== stream) video.srcObject = stream;
});

function request(broadcasterId: string): void {
  video.srcObject = null;
  viewer.request(broadcasterId);
  show('connecting');
}

signaling.on('joined', (joined) => {
  timings.mark('joined');
  rtcConfig = rtcConfiguration(joined);
  viewer.close();
  if (joined.broadcaster) {
    video.srcObject = null;
    viewer.expect(joined.broadcaster);
    show('connecting');
  } else show('waiting');
});
signaling.on('broadcastAvailable', (m) => request(m.from));
signaling.on('offer', (m) => {
  timings.mark('offer');
  const before = viewer.peerConnection;
  void viewer.onOffer(m).catch((err: unknown) => show('error', String(err)));
  const pc = viewer.peerConnection; // created synchronously by onOffer when the offer is taken
  if (pc && pc !== before) timings.watch(pc);
});
signaling.on('iceOfferCandidate', (m) => viewer.onCandidate(m));
signaling.on('broadcastEnded', () => {
  viewer.close();
  video.srcObject = null;
  show('ended');
});
signaling.onState((state, error) => {
  if (state === 'reconnecting') show('reconnecting');
  if (state === 'closed' && error?.code === 'room_full') show('full');
  else if (state === 'closed' && error) show('error', error.message);
});

video.addEventListener('playing', () => {
  // Time to first frame, in ms since navigation started (the page's time origin), for diagnostics and the tests.
  const now = performance.now();
  document.body.dataset.firstFrameMs ??= String(Math.round(now));
  timings.mark('firstFrame', now);
  show('live');
});
unmute.addEventListener('click', () => {
  video.muted = !video.muted;
  unmute.textContent = video.muted ? 'Unmute' : 'Mute';
  unmute.setAttribute('aria-pressed', String(!video.muted));
  if (!video.muted) void video.play().catch(() => {});
});

/** A read-only handle for diagnostics, tests and the bench: the current peer connection, the join's milestones. */
window.onair = { peerConnection: () => viewer.peerConnection, timings: () => timings.toJSON() };

show('connecting-relay');
signaling.start();
