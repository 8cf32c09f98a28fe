/**
 * One watcher's session, shared by the watch page and the embeddable player: the relay connection joined as a
 * watcher (with the fast join, `getBroadcast: true`, and resumed after a drop, keeping a peer connection that still
 * carries media; docs/protocol.md), the {@link Viewer} that answers the broadcaster's offer, the
 * `<video>` it plays into, and the page state that follows from them (waiting, connecting, live, ended, reconnecting,
 * media-reconnecting: the server lost its media server and this watcher waits for it, full, error). The pages decide what to show for each state.
 */
import type { JoinMessage, Layer } from '../../protocol/messages.ts';
import { rtcConfiguration } from '../shared/candidates.ts';
import { relayUrl, SignalingClient } from '../shared/signaling.ts';
import { joinToken } from '../shared/token.ts';
import { LayerReporter } from './layer-report.ts';
import { refusalText, type WatchState } from './messages.ts';
import type { JoinTimings } from './timings.ts';
import { Viewer } from './viewer.ts';

export interface WatchSession {
  readonly signaling: SignalingClient;
  readonly viewer: Viewer;
  /** ICE servers and transport policy from the latest `joined` (empty before). */
  rtcConfig(): RTCConfiguration;
  /** The relay connection is joined now (false before the first `joined` and while reconnecting). */
  joined(): boolean;
  /** The simulcast layer the SFU sends us now, and why (from `layer`); null when not through the SFU. */
  layer(): Layer | null;
  /** Connect (call after adding listeners to `signaling`). */
  start(): void;
}

/**
 * @param room    the room to watch
 * @param video   where the broadcast plays
 * @param timings the join's milestones (`wsOpen`, `joined`, `offer`, ICE/DTLS, `firstFrame`)
 * @param onState called on every state change; `refusal` is the refusal's words for `full` and `error`
 */
export function watchSession(room: string, video: HTMLVideoElement, timings: JoinTimings, onState: (state: WatchState, refusal?: string) => void): WatchSession {
  let rtcConfig: RTCConfiguration = {};
  let joined = false;
  let layer: Layer | null = null;
  // The fast join (the broadcaster is asked by our `join` itself), unless a resume keeps a working peer connection:
  // asking again would make the broadcaster start over.
  const token = joinToken();
  const signaling: SignalingClient = new SignalingClient(relayUrl(), (): Omit<JoinMessage, 'type'> => ({
    room,
    role: 'watcher',
    getBroadcast: !viewer.isWorking(),
    ...token,
  }));
  signaling.onOpen(() => timings.mark('wsOpen'));
  const viewer = new Viewer(signaling, () => rtcConfig, (stream) => {
    if (video.srcObject !== stream) video.srcObject = stream;
  });

  signaling.on('joined', (message) => {
    timings.mark('joined');
    joined = true;
    rtcConfig = rtcConfiguration(message);
    if (message.resumed && viewer.isWorking()) {
      // The same peer id as before the drop: the peer connection carries on, the picture never stopped.
      onState(video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA ? 'live' : 'connecting');
      return;
    }
    viewer.close();
    if (message.broadcaster) {
      video.srcObject = null;
      viewer.expect(message.broadcaster);
      onState('connecting');
    } else onState('waiting');
  });
  signaling.on('broadcastAvailable', (m) => {
    // A broadcaster that resumed announces itself again; a connection from it that still works is kept.
    if (viewer.isWorking(m.from)) return;
    video.srcObject = null;
    viewer.request(m.from);
    onState('connecting');
  });
  signaling.on('offer', (m) => {
    timings.mark('offer');
    const before = viewer.peerConnection;
    void viewer.onOffer(m).catch((err: unknown) => onState('error', String(err)));
    const pc = viewer.peerConnection; // created synchronously by onOffer when the offer is taken
    if (pc && pc !== before) timings.watch(pc);
  });
  signaling.on('iceOfferCandidate', (m) => viewer.onCandidate(m));
  // The media server was lost and the mesh is full: its offer comes when it is back (a new picture plays then).
  signaling.on('mediaPath', (m) => {
    if (m.path !== 'sfu') layer = null;
    if (m.path === 'reconnecting') onState('media-reconnecting');
  });
  // Through the SFU: tell the server how the video plays, so it sends the simulcast layer that fits (`layerReport`).
  const reporter = new LayerReporter((report) => signaling.send(report), () => (viewer.viaMediaServer ? viewer.peerConnection : null), video);
  reporter.start();
  signaling.on('layer', ({ substream, temporal, height, reason }) => {
    layer = { substream, temporal, height, reason };
  });
  signaling.on('broadcastEnded', () => {
    layer = null;
    viewer.close();
    video.srcObject = null;
    onState('ended');
  });
  signaling.onState((state, error) => {
    if (state === 'reconnecting') {
      joined = false;
      onState('reconnecting');
    }
    if (state === 'closed' && error) {
      document.body.dataset.error = error.code;
      onState(error.code === 'room_full' ? 'full' : 'error', refusalText(error.code, room, error.message));
    }
  });
  video.addEventListener('playing', () => {
    // Time to first frame, in ms since navigation started (the page's time origin), for diagnostics and the tests.
    const now = performance.now();
    document.body.dataset.firstFrameMs ??= String(Math.round(now));
    timings.mark('firstFrame', now);
    onState('live');
  });

  return { signaling, viewer, rtcConfig: () => rtcConfig, joined: () => joined, layer: () => (viewer.viaMediaServer ? layer : null), start: () => signaling.start() };
}
