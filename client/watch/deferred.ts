/**
 * What the watch page sets up only after its critical path (page → WebSocket → `join` → offer → first frame): the
 * room chat and the stats overlay. `main.ts` imports this module with `import()` once the first frame plays, or once
 * the page settles without one (waiting, ended, refused), or as soon as the viewer reaches for the chat or Stats.
 * Chat messages that arrived before are replayed, so nothing is lost.
 */
import type { Layer, ServerMessage } from '../../protocol/messages.ts';
import { ChatPanel, pageChatElements } from '../shared/chat.ts';
import { byId } from '../shared/dom.ts';
import type { SignalingClient } from '../shared/signaling.ts';
import { StatsOverlay } from './overlay.ts';

export interface Deferred {
  chat: ChatPanel;
  overlay: StatsOverlay;
}

/**
 * Set up the chat and the stats overlay.
 *
 * @param signaling the page's relay connection
 * @param earlier   whether it has joined already, and the chat messages (`chatHistory`, `chat`, `chatSettings`,
 *                  `error`) that arrived before, in order
 * @param pc        the current peer connection, for the overlay
 * @param route     where the media comes from, in words, for the overlay ("peer to peer", "via media server")
 * @param layer     the simulcast layer the SFU sends, for the overlay (null when not through the SFU)
 */
export function setUpDeferred(
  signaling: SignalingClient,
  earlier: { joined: boolean; messages: readonly ServerMessage[] },
  pc: () => RTCPeerConnection | null,
  route?: () => string,
  layer?: () => Layer | null,
): Deferred {
  const chat = new ChatPanel(pageChatElements());
  chat.attach(signaling, earlier);
  const overlay = new StatsOverlay(byId('overlay', HTMLDListElement), byId('stats', HTMLButtonElement), pc, route, layer);
  return { chat, overlay };
}
