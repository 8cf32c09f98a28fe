/**
 * A media-path event for a room whose broadcaster another node holds: in a cluster, the broadcaster's node owns the
 * room's media (its mesh bookkeeping, its escalation to the SFU and its Janus state), so the node a watcher is on
 * forwards that watcher's media events there over Redis (`cluster-media.ts`). `w` is the watcher's id, stamped by
 * its node.
 */
import type { AddressedMessage, LayerReportMessage } from '../../protocol/messages.ts';

export type MediaEvent =
  | { op: 'joined'; w: string }
  | { op: 'signal'; w: string; m: AddressedMessage }
  | { op: 'left'; w: string }
  | { op: 'layer'; w: string; r: LayerReportMessage };
