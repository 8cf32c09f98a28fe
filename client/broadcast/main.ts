/**
 * The broadcaster page (`/`): camera preview and pickers, room name, Start/Stop broadcast, live viewer count.
 * Starting joins the room as its broadcaster and announces `broadcastAvailable`; stopping leaves it, which ends the
 * broadcast for every watcher.
 */
import { ProtocolError } from '../../server/protocol/errors.ts';
import { rtcConfiguration } from '../shared/candidates.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { Adapter, type AdaptationSnapshot } from './adapter.ts';
import { Audience } from './audience.ts';
import { capture, fillDevicePicker } from './media.ts';

const preview = byId('preview', HTMLVideoElement);
const roomInput = byId('room', HTMLInputElement);
const cameraSelect = byId('camera', HTMLSelectElement);
const microphoneSelect = byId('microphone', HTMLSelectElement);
const startButton = byId('start', HTMLButtonElement);
const stopButton = byId('stop', HTMLButtonElement);
const viewers = byId('viewers', HTMLOutputElement);
const status = byId('status', HTMLElement);
const watchLink = byId('watch-link', HTMLAnchorElement);

type PageState = 'idle' | 'starting' | 'live' | 'reconnecting' | 'error';

let stream: MediaStream | null = null;
let signaling: SignalingClient | null = null;
let audience: Audience | null = null;
let rtcConfig: RTCConfiguration = {};
let adapter: Adapter | null = null;
/** `?adapt=off` leaves every sender's encoding to the browser (to compare the mesh capacity with and without). */
const adaptationEnabled = new URLSearchParams(window.location.search).get('adapt') !== 'off';

function show(state: PageState, text: string): void {
  setPageState(state);
  status.textContent = text;
  const onAir = state === 'starting' || state === 'live' || state === 'reconnecting';
  startButton.disabled = onAir || stream === null;
  stopButton.disabled = !onAir;
  roomInput.disabled = onAir;
}

function updateWatchLink(): void {
  const url = new URL('/watch', window.location.href);
  url.searchParams.set('room', roomInput.value.trim() || 'main');
  watchLink.href = url.href;
  watchLink.textContent = url.href;
}

/** Capture from the pickers' devices; while live, swap the tracks on every watcher without renegotiating. */
async function openCamera(): Promise<void> {
  const next = await capture({ cameraId: cameraSelect.value || undefined, microphoneId: microphoneSelect.value || undefined });
  if (audience) for (const track of next.getTracks()) await audience.replaceTrack(track);
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = next;
  preview.srcObject = next;
  await fillDevicePicker(cameraSelect, 'videoinput', next.getVideoTracks()[0]?.getSettings().deviceId);
  await fillDevicePicker(microphoneSelect, 'audioinput', next.getAudioTracks()[0]?.getSettings().deviceId);
}

function reportError(err: unknown): void {
  console.error('onair:', err);
  show('error', err instanceof Error ? err.message : String(err));
}

function start(): void {
  if (!stream || signaling) return;
  const room = roomInput.value.trim() || 'main';
  const client = new SignalingClient(relayUrl(), { room, role: 'broadcaster', ...joinToken() });
  const crowd = new Audience(client, () => stream!, () => rtcConfig);
  if (adaptationEnabled) {
    const adapting = (adapter = new Adapter(() => crowd.peerConnections(), () => stream?.getVideoTracks()[0]?.getSettings().frameRate ?? 30));
    crowd.onPeerConnection = (pc) => adapting.prepare(pc);
    adapting.start();
  }
  client.on('joined', (joined) => {
    rtcConfig = rtcConfiguration(joined);
    crowd.closeAll(); // after a reconnect every watcher has a new id and asks again
    client.send({ type: 'broadcastAvailable' });
    show('live', `On air in room “${joined.room}”`);
  });
  client.on('getBroadcast', (m) => void crowd.onGetBroadcast(m).catch(reportError));
  client.on('answer', (m) => void crowd.onAnswer(m).catch(reportError));
  client.on('iceAnswerCandidate', (m) => crowd.onCandidate(m));
  client.on('watcherLeft', (m) => crowd.remove(m.id));
  client.on('viewerCount', (m) => (viewers.value = String(m.count)));
  client.onState((state, error) => {
    if (state === 'reconnecting') show('reconnecting', 'Connection lost, reconnecting…');
    if (state === 'closed' && error) {
      stop();
      show('error', error instanceof ProtocolError ? `Cannot broadcast: ${error.message}` : String(error));
    }
  });
  signaling = client;
  audience = crowd;
  show('starting', 'Connecting…');
  client.start();
}

function stop(): void {
  const client = signaling;
  signaling = null;
  audience?.closeAll();
  audience = null;
  adapter?.stop();
  adapter = null;
  client?.stop();
  viewers.value = '0';
  show('idle', 'Off air');
}

// The controls are a form for their labels and keyboard use; it never submits (no inline handler: the CSP forbids it).
byId('controls', HTMLFormElement).addEventListener('submit', (event) => event.preventDefault());
startButton.addEventListener('click', start);
stopButton.addEventListener('click', stop);
roomInput.addEventListener('input', updateWatchLink);
cameraSelect.addEventListener('change', () => void openCamera().catch(reportError));
microphoneSelect.addEventListener('change', () => void openCamera().catch(reportError));

/** A read-only handle for diagnostics and tests: the open peer connections, the adaptation (null when off). */
window.onair = {
  peerConnections: () => audience?.peerConnections() ?? [],
  adaptation: () => adapter?.snapshot() ?? null,
  /** Restart ICE on every watcher's connection, as a network change would (diagnostics and tests). */
  restartIce: () => Promise.all(audience?.watcherIds().map((id) => audience!.restartIce(id)) ?? []).then(() => undefined),
};

roomInput.value = roomFromQuery();
updateWatchLink();
show('idle', 'Starting the camera…');
openCamera()
  .then(() => show('idle', 'Off air'))
  .catch((err: unknown) => reportError(new Error(`Camera unavailable: ${err instanceof Error ? err.message : String(err)}`)));

declare global {
  interface Window {
    onair:
      | { peerConnections(): RTCPeerConnection[]; adaptation(): AdaptationSnapshot | null; restartIce(): Promise<void> }
      | { peerConnection(): RTCPeerConnection | null; timings(): import('../watch/timings.ts').Timings };
  }
}
