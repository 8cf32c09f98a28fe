/**
 * The watcher page (`/watch?room=…`): joins the room as a watcher, plays the broadcast muted (browsers block
 * unmuted autoplay) with Unmute, Fullscreen and Picture-in-picture buttons, a stats overlay and the room chat, and
 * shows where things stand: waiting, connecting, live, ended, refused. When no connection forms within a few
 * seconds it says why in words. When the broadcast ends and starts again, or the relay connection drops, it
 * reconnects by itself.
 */
import { rtcConfiguration } from '../shared/candidates.ts';
import { ChatPanel, pageChatElements } from '../shared/chat.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { JoinTimings } from './timings.ts';
import { DIAGNOSE_AFTER_MS, diagnose, inspect } from './diagnosis.ts';
import { refusalText, waitingText } from './messages.ts';
import { StatsOverlay } from './overlay.ts';
import { setUpPlayer } from './player.ts';
import { Viewer } from './viewer.ts';

const timings = new JoinTimings();
timings.mark('scriptStart');

const video = byId('video', HTMLVideoElement);
const status = byId('status', HTMLElement);
const roomLabel = byId('room-name', HTMLElement);
const viewers = byId('viewers', HTMLOutputElement);
const diagnosis = byId('diagnosis', HTMLElement);

type WatchState = 'connecting-relay' | 'waiting' | 'connecting' | 'live' | 'ended' | 'reconnecting' | 'full' | 'error';

const STATUS_TEXT: Record<WatchState, string> = {
  'connecting-relay': 'Connecting to the server…',
  waiting: 'Waiting for the broadcast',
  connecting: 'Connecting',
  live: 'Live',
  ended: 'Broadcast ended',
  reconnecting: 'Connection lost, reconnecting…',
  full: 'This room is full',
  error: 'Error',
};

let diagnoseTimer: ReturnType<typeof setTimeout> | null = null;

/** Show a note under the video (`problem`: a warning rather than information); null hides it. */
function note(text: string | null, code = '', problem = false): void {
  diagnosis.hidden = text === null;
  diagnosis.textContent = text ?? '';
  diagnosis.dataset.code = code;
  diagnosis.classList.toggle('problem', problem);
}

function show(state: WatchState, detail?: string): void {
  setPageState(state);
  status.textContent = detail ? `${STATUS_TEXT[state]}: ${detail}` : STATUS_TEXT[state];
  if (state !== 'connecting' && diagnoseTimer) {
    clearTimeout(diagnoseTimer);
    diagnoseTimer = null;
  }
  if (state !== 'connecting' && state !== 'live') note(state === 'waiting' ? waitingText(room) : null, state);
}

const room = roomFromQuery();
roomLabel.textContent = room;
let rtcConfig: RTCConfiguration = {};
// The fast join: a live broadcaster is asked for its offer by our `join` itself (docs/protocol.md).
const signaling = new SignalingClient(relayUrl(), { room, role: 'watcher', getBroadcast: true, ...joinToken() });
signaling.onOpen(() => timings.mark('wsOpen'));
const viewer = new Viewer(signaling, () => rtcConfig, (stream) => {
  if (video.srcObject !== stream) video.srcObject = stream;
});
const chat = new ChatPanel(pageChatElements());
chat.attach(signaling);
new StatsOverlay(byId('overlay', HTMLDListElement), byId('stats', HTMLButtonElement), () => viewer.peerConnection, () =>
  viewer.viaMediaServer ? 'via media server' : 'peer to peer',
);
setUpPlayer(video, { unmute: byId('unmute', HTMLButtonElement), fullscreen: byId('fullscreen', HTMLButtonElement), pip: byId('pip', HTMLButtonElement) });

/** While connecting, explain after {@link DIAGNOSE_AFTER_MS} and then every second what is in the way. */
function diagnoseLater(delay = DIAGNOSE_AFTER_MS): void {
  if (diagnoseTimer) clearTimeout(diagnoseTimer);
  diagnoseTimer = setTimeout(async () => {
    diagnoseTimer = null;
    if (document.body.dataset.state !== 'connecting') return;
    const found = diagnose(await inspect(viewer.peerConnection, rtcConfig));
    if (document.body.dataset.state !== 'connecting') return;
    note(found.text, found.code, found.problem);
    diagnoseLater(1000);
  }, delay);
}

/** Once playing, say whether the media is relayed (TURN) or direct. */
async function notePath(): Promise<void> {
  const found = diagnose(await inspect(viewer.peerConnection, rtcConfig));
  if (document.body.dataset.state !== 'live') return;
  if (found.code === 'relayed') note(found.text, found.code);
  else note(null, found.code);
}

function request(broadcasterId: string): void {
  video.srcObject = null;
  viewer.request(broadcasterId);
  show('connecting');
  diagnoseLater();
}

signaling.on('joined', (joined) => {
  timings.mark('joined');
  rtcConfig = rtcConfiguration(joined);
  viewer.close();
  if (joined.broadcaster) {
    video.srcObject = null;
    viewer.expect(joined.broadcaster);
    show('connecting');
    diagnoseLater();
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
// The media server was lost and the mesh is full: say so in words; its offer comes when it is back.
signaling.on('mediaPath', (m) => {
  if (m.path === 'reconnecting') show('reconnecting', 'the media server is restarting, the picture will be back');
});
signaling.on('viewerCount', (m) => (viewers.value = String(m.count)));
signaling.on('broadcastEnded', () => {
  viewer.close();
  video.srcObject = null;
  show('ended');
});
signaling.onState((state, error) => {
  if (state === 'reconnecting') {
    chat.disconnected();
    show('reconnecting');
  }
  if (state === 'closed' && error) {
    document.body.dataset.error = error.code;
    show(error.code === 'room_full' ? 'full' : 'error', refusalText(error.code, room, error.message));
  }
});

video.addEventListener('playing', () => {
  // Time to first frame, in ms since navigation started (the page's time origin), for diagnostics and the tests.
  const now = performance.now();
  document.body.dataset.firstFrameMs ??= String(Math.round(now));
  timings.mark('firstFrame', now);
  show('live');
  void notePath().catch(() => {});
});

/**
 * A read-only handle for diagnostics, tests and the bench: the current peer connection, the join's milestones, the
 * route, and the order of moves between peers.
 */
window.onair = {
  peerConnection: () => viewer.peerConnection,
  timings: () => timings.toJSON(),
  viaMediaServer: () => viewer.viaMediaServer,
  pathEvents: () => [...viewer.events],
};

show('connecting-relay');
signaling.start();
