/**
 * The embeddable player (`/embed?room=…`, for an `<iframe>` on another site; `FRAME_ANCESTORS` decides which sites
 * may frame it): the broadcast only, muted autoplay, Unmute and Fullscreen, and the state's sentence over the player.
 * A private room's watcher token goes in the frame's URL fragment (`#token=…`), as on the watch page.
 */
import { byId, roomFromQuery, setPageState } from '../shared/dom.ts';
import { stateText } from '../watch/messages.ts';
import { setUpPlayer } from '../watch/player.ts';
import { watchSession } from '../watch/session.ts';
import { JoinTimings } from '../watch/timings.ts';

const timings = new JoinTimings();
timings.mark('scriptStart');
const video = byId('video', HTMLVideoElement);
const status = byId('status', HTMLElement);
const room = roomFromQuery();

const session = watchSession(room, video, timings, (state, refusal) => {
  setPageState(state);
  status.textContent = stateText(state, room, refusal);
});
setUpPlayer(video, { unmute: byId('unmute', HTMLButtonElement), fullscreen: byId('fullscreen', HTMLButtonElement) });

/** A read-only handle for diagnostics and tests: the current peer connection, the join's milestones, the route. */
window.onair = {
  peerConnection: () => session.viewer.peerConnection,
  timings: () => timings.toJSON(),
  viaMediaServer: () => session.viewer.viaMediaServer,
  pathEvents: () => [...session.viewer.events],
  layer: () => session.layer(),
};

setPageState('connecting-relay');
session.start();
