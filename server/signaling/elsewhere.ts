/**
 * Where peers live besides this process: the other nodes of a cluster (`server/cluster/`, when `REDIS_URL` is set).
 * The rooms tell it who joins, goes live and leaves here, and read from it the peers other nodes hold, so that a
 * room's reads (its broadcaster, whether it is live, its watchers and their number) are the cluster's. Declared here
 * so that signalling does not import the cluster; with one node there is none.
 */
import type { Role } from '../../protocol/messages.ts';

/** The peers of one room that other nodes hold. */
export interface RemoteMembers {
  readonly watcherCount: number;
  hasWatcher(id: string): boolean;
  /** The ids of the watchers other nodes hold. */
  watcherIds(): IterableIterator<string>;
  /** The room's broadcaster when another node holds it. */
  readonly broadcaster: { readonly id: string; readonly live: boolean } | null;
}

export interface Elsewhere {
  /** Learn who other nodes hold in `room` before its first local peer joins (resolves with what is known). */
  enter(room: string): Promise<unknown>;
  /** The peers other nodes hold in `room`, once entered. */
  members(room: string): RemoteMembers | undefined;
  /** Peer `id` joined (or resumed in) `room` here as `role`; `live`: a broadcaster that announced its media. */
  joined(room: string, id: string, role: Role, live: boolean): void;
  /** Peer `id` left `room` here. */
  left(room: string, id: string): void;
  /** The last local peer of `room` left. */
  emptied(room: string): void;
}
