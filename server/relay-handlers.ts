/**
 * The relay's handler registry: every client message type but `join`, to its handler. Signalling, chat and stats
 * each bring their part; `chat/` and `ops/` depend on `signaling/`, never the reverse, and this file is where they
 * meet. The compiler checks that no type is left without a handler.
 */
import { chatHandlers } from './chat/handlers.ts';
import { STATS_HANDLERS } from './ops/stats-report.ts';
import { SIGNALING_HANDLERS, type HandlerRegistry } from './signaling/handlers.ts';
import { layerReportHandlers } from './signaling/layer-report.ts';

/** A new registry (the chat rate limit is per app). */
export function relayHandlers(): HandlerRegistry {
  return { ...SIGNALING_HANDLERS, ...chatHandlers(), ...STATS_HANDLERS, ...layerReportHandlers() };
}
