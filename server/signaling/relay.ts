/**
 * What the relay's connections share: the rooms, the bus and media path handlers deliver through, the handler
 * registry, and the counters `ops/` keeps. Built once per app (`server/app.ts` chooses the bus and the media path).
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import type { ClientMessageType } from '../../protocol/messages.ts';
import type { Bus } from '../bus/bus.ts';
import type { Config } from '../config.ts';
import type { MediaPath } from '../media/media-path.ts';
import type { HandlerRegistry } from './handlers.ts';
import type { Rooms } from './rooms.ts';
import type { ViewerCounts } from './viewer-count.ts';

/** What the relay counts (`ops/metrics.ts`'s `Metrics` is one); declared here so signalling does not import ops. */
export interface RelayCounters {
  /** A message of `type` was delivered, `seconds` after its frame arrived. */
  relayed(type: ClientMessageType, seconds: number): void;
  /** An error with `code` was sent to a client. */
  rejected(code: ErrorCode): void;
  /** TURN credentials went out in a `joined`. */
  turnCredentialsIssued(mode: 'static' | 'secret'): void;
}

/** The configuration the join needs: ICE servers for `joined`, who may join, what a second broadcaster does. */
export type JoinConfig = Pick<Config, 'stunUrls' | 'turn' | 'iceTransportPolicy' | 'broadcastSecret' | 'watchSecret' | 'broadcasterTakeover'>;

export interface Relay {
  config: JoinConfig;
  rooms: Rooms;
  bus: Bus;
  media: MediaPath;
  viewerCounts: ViewerCounts;
  handlers: HandlerRegistry;
  /**
   * Resume (`resume.ts`): the HS256 key of resume tokens (`server/auth/resume-key.ts`), their lifetime (s), and how
   * long a peer whose connection was lost (closed without a close frame, 1006) stays in its room, its peer connections
   * untouched, before the room is told it left (ms).
   */
  resume: { key: Uint8Array; ttlS: number; graceMs: number };
  counters?: RelayCounters | undefined;
}
