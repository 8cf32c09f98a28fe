/** The shape of `bench/results.json`: every part's result, or why it failed. */
import type { AudienceResult } from './audience.ts';
import type { ClusterJoinStormResult } from './cluster-join-storm.ts';
import type { ClusterRelayResult } from './cluster-relay.ts';
import type { JoinStormResult } from './join-storm.ts';
import type { LayersResult } from './layers.ts';
import type { MachineInfo } from './machine.ts';
import type { MemoryResult } from './memory.ts';
import type { MeshResult } from './mesh.ts';
import type { RelayResult } from './relay.ts';
import type { RestartResult } from './restart.ts';
import type { TtffResult } from './ttff.ts';
import type { WhipResult } from './whip.ts';

export interface BenchResults {
  /** The quick smoke run (fewer rounds and viewers) rather than the full one. */
  quick: boolean;
  machine: MachineInfo;
  relay?: RelayResult;
  memory?: MemoryResult;
  joinStorm?: JoinStormResult;
  clusterJoinStorm?: ClusterJoinStormResult;
  clusterRelay?: ClusterRelayResult;
  ttff?: TtffResult;
  mesh?: MeshResult;
  audience?: AudienceResult;
  whip?: WhipResult;
  layers?: LayersResult;
  restart?: RestartResult;
  /** Parts that failed, with the error message; the others are still reported. */
  errors: Record<string, string>;
  /** How long each part took, in s. */
  partSeconds: Record<string, number>;
}
