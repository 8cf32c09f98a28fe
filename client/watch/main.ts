/**
 * The watcher page (`/watch?room=…`): joins the room as a watcher (`session.ts`), plays the broadcast muted
 * (browsers block unmuted autoplay) with Unmute, Fullscreen and Picture-in-picture buttons, a stats overlay and the
 * room chat, and says over the player, in one sentence per state, where things stand: waiting, connecting, live,
 * ended, refused. When no connection forms within a few seconds it says why in words. When the broadcast ends and
 * starts again, or the relay connection drops, it reconnects by itself.
 *
 * The critical path is kept short: before `join` leaves, only what the join needs runs (relay connection, peer
 * connection, player); the chat and stats overlay (`deferred.ts`) and the connectivity diagnosis (`diagnosis.ts`) are
 * imported with `import()` and set up after the first frame, when the page settles without one, or when the viewer
 * reaches for them (the build keeps them in this page's one file; see scripts/build-client.ts).
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import type { Deferred } from './deferred.ts';
import { stateText, type WatchState } from './messages.ts';
import { setUpPlayer } from './player.ts';
import { watchSession } from './session.ts';
import { JoinTimings } from './timings.ts';

const timings = new JoinTimings();
timings.mark('scriptStart');

/** How long the page waits for a connection before it explains what is in the way, ms. */
const DIAGNOSE_AFTER_MS = 5000;
/** While playing, how often and how many times the page asks again for a media path it could not name yet, ms. */
const PATH_RECHECK_MS = 500;
const PATH_RECHECKS = 20;

const video = byId('video', HTMLVideoElement);
const status = byId('status', HTMLElement);
const diagnosis = byId('diagnosis', HTMLElement);
const chatForm = byId('chat-form', HTMLFormElement);
const statsButton = byId('stats', HTMLButtonElement);
const room = roomFromQuery();
byId('room-name', HTMLElement).textContent = room;

let diagnoseTimer: ReturnType<typeof setTimeout> | null = null;
let deferred: Promise<Deferred> | null = null;
let loaded: Deferred | null = null;
const session = watchSession(room, video, timings, show);
const { signaling, viewer } = session;
// Connect first: everything below only adds listeners and wires buttons, and no message can arrive before this
// script has run to its end (the socket's events are tasks of their own).
show('connecting-relay');
session.start();

/** Show a note under the video (`problem`: a warning rather than information); null hides it. */
function note(text: string | null, code = '', problem = false): void {
  diagnosis.hidden = text === null;
  diagnosis.textContent = text ?? '';
  diagnosis.dataset.code = code;
  diagnosis.classList.toggle('problem', problem);
}

function show(state: WatchState, refusal?: string): void {
  setPageState(state);
  status.textContent = stateText(state, room, refusal);
  if (diagnoseTimer) clearTimeout(diagnoseTimer);
  diagnoseTimer = null;
  if (state === 'connecting') diagnoseLater();
  else if (state === 'live') void notePath().catch(() => {});
  else note(null, state);
  if (state === 'reconnecting') loaded?.chat.disconnected();
  if (state !== 'connecting-relay' && state !== 'connecting' && state !== 'reconnecting') void loadDeferred();
}

// Until `deferred.ts` is set up: keep the chat messages that arrive, and hold a chat form sent meanwhile.
const early: ServerMessage[] = [];
const keep = (m: ServerMessage) => void early.push(m);
const stopKeeping = [signaling.on('chatHistory', keep), signaling.on('chat', keep), signaling.on('chatSettings', keep), signaling.on('error', keep)];
let heldSubmit = false;
const holdSubmit = (event: SubmitEvent) => {
  event.preventDefault();
  heldSubmit = true;
};
const statsEarly = () => void loadDeferred().then((d) => d.overlay.toggle(true));
chatForm.addEventListener('submit', holdSubmit);
chatForm.addEventListener('focusin', () => void loadDeferred(), { once: true });
statsButton.addEventListener('click', statsEarly);

/** Load the chat and stats overlay once (see `deferred.ts`). */
function loadDeferred(): Promise<Deferred> {
  deferred ??= import('./deferred.ts').then(({ setUpDeferred }) => {
    for (const off of stopKeeping) off();
    statsButton.removeEventListener('click', statsEarly);
    loaded = setUpDeferred(
      signaling,
      { joined: session.joined(), messages: early.splice(0) },
      () => viewer.peerConnection,
      () => (viewer.viaMediaServer ? 'via media server' : 'peer to peer'),
      () => session.layer(),
    );
    chatForm.removeEventListener('submit', holdSubmit);
    if (heldSubmit) chatForm.requestSubmit();
    return loaded;
  });
  return deferred;
}

const diagnosisModule = () => import('./diagnosis.ts');

/** While connecting, explain after {@link DIAGNOSE_AFTER_MS} and then every second what is in the way. */
function diagnoseLater(delay = DIAGNOSE_AFTER_MS): void {
  diagnoseTimer = setTimeout(async () => {
    diagnoseTimer = null;
    if (document.body.dataset.state !== 'connecting') return;
    const { diagnose, inspect } = await diagnosisModule();
    const found = diagnose(await inspect(viewer.peerConnection, session.rtcConfig()));
    if (document.body.dataset.state !== 'connecting') return;
    note(found.text, found.code, found.problem);
    diagnoseLater(1000);
  }, delay);
}

/**
 * Once playing, say whether the media is relayed (TURN) or direct; ask again every {@link PATH_RECHECK_MS} while the
 * path is not known yet (at most {@link PATH_RECHECKS} times).
 */
async function notePath(recheck = PATH_RECHECKS): Promise<void> {
  const { diagnose, inspect, pathKnown } = await diagnosisModule();
  const input = await inspect(viewer.peerConnection, session.rtcConfig());
  if (document.body.dataset.state !== 'live') return;
  if (!pathKnown(input)) {
    if (recheck > 0) diagnoseTimer = setTimeout(() => void notePath(recheck - 1).catch(() => {}), PATH_RECHECK_MS);
    return;
  }
  const found = diagnose(input);
  if (found.code === 'relayed') note(found.text, found.code);
  else note(null, found.code);
}

const viewers = byId('viewers', HTMLOutputElement);
signaling.on('viewerCount', (m) => (viewers.value = String(m.count)));
setUpPlayer(video, { unmute: byId('unmute', HTMLButtonElement), fullscreen: byId('fullscreen', HTMLButtonElement), pip: byId('pip', HTMLButtonElement) });

/**
 * A read-only handle for diagnostics, tests and the bench: the current peer connection, the join's milestones, the
 * route, and the order of moves between peers.
 */
window.onair = {
  peerConnection: () => viewer.peerConnection,
  timings: () => timings.toJSON(),
  viaMediaServer: () => viewer.viaMediaServer,
  pathEvents: () => [...viewer.events],
  layer: () => session.layer(),
};
