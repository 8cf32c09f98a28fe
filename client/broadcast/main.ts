/**
 * The broadcaster page (`/`): preview, source and quality, room name, Start/Stop broadcast, live viewer count, the
 * audience panel, chat, recording and the shareable watch link. Starting joins the room as its broadcaster and
 * announces `broadcastAvailable`; stopping leaves it, which ends the broadcast for every watcher. While live, the
 * page reports its per-watcher stats to the server every {@link STATS_REPORT_MS} (`stats`, for `/metrics`).
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { RoomName } from '../../protocol/messages.ts';
import { rtcConfiguration } from '../shared/candidates.ts';
import { ChatPanel, pageChatElements } from '../shared/chat.ts';
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { AdaptationLoop } from './adaptation-loop.ts';
import { Audience } from './audience.ts';
import { AudiencePanel } from './audience-panel.ts';
import { SfuLayerList } from './sfu-layers.ts';
import { setUpControls } from './controls.ts';
import { ObsPanel } from './obs-panel.ts';
import { ShareLink } from './share.ts';
import { LocalMedia } from './local-media.ts';

/** How often the page reports its watchers' stats to the server while live, ms. */
export const STATS_REPORT_MS = 5000;

const preview = byId('preview', HTMLVideoElement);
const roomInput = byId('room', HTMLInputElement);
const roomError = byId('room-error', HTMLElement);
const startButton = byId('start', HTMLButtonElement);
const stopButton = byId('stop', HTMLButtonElement);
const viewers = byId('viewers', HTMLOutputElement);
const status = byId('status', HTMLElement);
const chatToggle = byId('chat-enabled', HTMLInputElement);
const mediaPath = byId('media-path', HTMLOutputElement);

type PageState = 'idle' | 'starting' | 'live' | 'reconnecting' | 'error';

let signaling: SignalingClient | null = null;
let audience: Audience | null = null;
let rtcConfig: RTCConfiguration = {};
let adapter: AdaptationLoop | null = null;
/** `?adapt=off` leaves every sender's encoding to the browser (to compare the mesh capacity with and without). */
const adaptationEnabled = new URLSearchParams(window.location.search).get('adapt') !== 'off';
let reportTimer: ReturnType<typeof setInterval> | null = null;
let ready = false;
let roomValid = true;

const media = new LocalMedia((kind, track) => audience?.replaceTrack(kind, track) ?? Promise.resolve());
const sfuLayers = new SfuLayerList(byId('sfu-layers', HTMLUListElement));
const panel = new AudiencePanel(byId('audience', HTMLTableSectionElement), byId('uplink', HTMLOutputElement), () => audience?.connections() ?? [], (id) =>
  audience?.isUpstream(id) ? 'media server' : null,
);
const chat = new ChatPanel(pageChatElements());
const share = new ShareLink(
  byId('watch-link', HTMLAnchorElement),
  byId('copy-link', HTMLButtonElement),
  byId('qr', HTMLCanvasElement),
  byId('copy-notice', HTMLElement),
  byId('embed-snippet', HTMLTextAreaElement),
  byId('share', HTMLElement),
);
const obs = new ObsPanel({ box: byId('obs', HTMLElement), server: byId('whip-url', HTMLInputElement), token: byId('whip-token', HTMLElement) });
const roomName = () => roomInput.value.trim();

/**
 * Check the room name as it is typed, against the protocol's own rule: a name the server would refuse is said next
 * to the field, keeps Start off, and gets no link, QR code or snippet.
 */
function checkRoom(): void {
  const name = roomName();
  roomValid = RoomName.safeParse(name).success;
  roomInput.setAttribute('aria-invalid', String(!roomValid));
  roomError.textContent = roomValid ? '' : name === '' ? 'Type a room name.' : 'A room name is 1 to 64 letters (A–Z), digits, _ or -, with no spaces.';
  startButton.disabled = signaling !== null || !ready || !roomValid;
  if (roomValid) {
    void share.show(name).catch(reportError);
    obs.show(name);
  } else {
    share.hide();
    obs.hide();
  }
}

function show(state: PageState, text: string): void {
  setPageState(state);
  status.textContent = text;
  const onAir = state === 'starting' || state === 'live' || state === 'reconnecting';
  startButton.disabled = onAir || !ready || !roomValid;
  stopButton.disabled = !onAir;
  roomInput.disabled = onAir;
  chatToggle.disabled = state !== 'live';
}

function reportError(err: unknown): void {
  console.error('onair:', err);
  show('error', err instanceof Error ? err.message : String(err));
}

function start(): void {
  if (!ready || !roomValid || signaling) return;
  const client = new SignalingClient(relayUrl(), { room: roomName(), role: 'broadcaster', ...joinToken() });
  const crowd = new Audience(client, () => media.stream, () => rtcConfig);
  if (adaptationEnabled) {
    const adapting = (adapter = new AdaptationLoop(() => crowd.meshConnections(), () => media.stream.getVideoTracks()[0]?.getSettings().frameRate ?? 30));
    crowd.onPeerConnection((pc) => adapting.prepare(pc));
    // The server may move the room to the media server, which takes the per-watcher encoding off this page.
    adapting.onStepDown((reason) => client.send({ type: 'qualityLimited', reason }));
    adapting.start();
  }
  client.on('joined', (joined) => {
    rtcConfig = rtcConfiguration(joined);
    // Resumed: the same id, so the watchers' peer connections carry on; those whose media path failed meanwhile get
    // an ICE restart on the same connection. Otherwise (a fresh id) every watcher asks again.
    if (joined.resumed) void crowd.restartFailed().catch(reportError);
    else crowd.closeAll();
    client.send({ type: 'broadcastAvailable' });
    show('live', `On air in room “${joined.room}”`);
  });
  client.on('getBroadcast', (m) => void crowd.onGetBroadcast(m).catch(reportError));
  client.on('answer', (m) => void crowd.onAnswer(m).catch(reportError));
  client.on('iceAnswerCandidate', (m) => crowd.onCandidate(m));
  client.on('watcherLeft', (m) => {
    crowd.remove(m.id);
    sfuLayers.remove(m.id);
  });
  client.on('watcherLayer', (m) => sfuLayers.update(m));
  // The SFU: publish once when the room escalates; a watcher that moved to it hangs up its mesh connection.
  client.on('publish', (m) => void crowd.onPublish(m).catch(reportError));
  client.on('hangup', (m) => crowd.remove(m.from));
  client.on('mediaPath', (m) => {
    if (m.path === 'mesh') {
      crowd.closeUpstream();
      sfuLayers.clear();
    }
    mediaPath.value = pathText(m.path, m.viewers);
    mediaPath.dataset.path = m.path;
  });
  client.on('viewerCount', (m) => (viewers.value = String(m.count)));
  client.on('chatHistory', (m) => (chatToggle.checked = m.enabled));
  client.on('chatSettings', (m) => (chatToggle.checked = m.enabled));
  client.onState((state, error) => {
    if (state === 'reconnecting') {
      chat.disconnected();
      show('reconnecting', 'Connection lost, reconnecting…');
    }
    if (state === 'closed' && error) {
      stop();
      show('error', error instanceof ProtocolError ? `Cannot broadcast: ${error.message}` : String(error));
    }
  });
  signaling = client;
  audience = crowd;
  chat.attach(client);
  panel.start();
  reportTimer = setInterval(() => client.send({ type: 'stats', watchers: panel.report() }), STATS_REPORT_MS);
  show('starting', 'Connecting…');
  client.start();
}

/** The room's path in words, with the watchers on each: "via the media server (12 watchers; 1 peer to peer)". */
function pathText(path: string, viewers?: { mesh: number; sfu: number }): string {
  const where = path === 'sfu' ? 'via the media server' : 'peer to peer';
  if (!viewers) return where;
  return path === 'sfu' ? `${where} (${viewers.sfu} via the server, ${viewers.mesh} peer to peer)` : `${where} (${viewers.mesh} watchers)`;
}

function stop(): void {
  const client = signaling;
  signaling = null;
  if (reportTimer) clearInterval(reportTimer);
  reportTimer = null;
  panel.stop();
  audience?.closeAll();
  audience = null;
  adapter?.stop();
  adapter = null;
  panel.clear();
  sfuLayers.clear();
  chat.detach();
  client?.stop();
  viewers.value = '0';
  mediaPath.value = pathText('mesh');
  show('idle', 'Off air');
}

// No inline handler (a strict Content-Security-Policy forbids them): Enter in the room field must not reload.
byId('controls', HTMLFormElement).addEventListener('submit', (event) => event.preventDefault());
startButton.addEventListener('click', start);
stopButton.addEventListener('click', stop);
roomInput.addEventListener('input', checkRoom);
chatToggle.addEventListener('change', () => signaling?.send({ type: 'chatSettings', enabled: chatToggle.checked }));
const openSource = setUpControls(media, roomName, reportError);

/** A read-only handle for diagnostics and tests: the open peer connections, the tracks being sent, the adaptation
 * (null when off). */
window.onair = {
  peerConnections: () => audience?.peerConnections() ?? [],
  stream: () => media.stream,
  adaptation: () => adapter?.snapshot() ?? null,
  /** Restart ICE on every watcher's connection, as a network change would (diagnostics and tests). */
  restartIce: () => Promise.all(audience?.watcherIds().map((id) => audience!.restartIce(id)) ?? []).then(() => undefined),
};

roomInput.value = roomFromQuery();
checkRoom();
preview.srcObject = media.stream;
panel.clear();
show('idle', 'Starting the camera…');
openSource()
  .then(() => {
    ready = true;
    show('idle', 'Off air');
  })
  .catch((err: unknown) => reportError(new Error(`Camera unavailable: ${err instanceof Error ? err.message : String(err)}`)));
