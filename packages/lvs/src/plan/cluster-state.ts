// The live state of a whole cluster as the plan sees it: the director's IPVS table plus the
// host-level state of the director and of every realserver.
import { type ClusterHostStates, desiredHostStates } from "../host/desired.ts";
import type { HostFileMemo } from "../host/file-memo.ts";
import type { HostState } from "../host/state.ts";
import type { ClusterSpec, ServiceSpec } from "../model.ts";
import type { KeptService } from "./ownership.ts";

export interface ClusterState {
  /** The IPVS table (as read by ipvsadm-save/-Ln and converted with servicesFromListing). */
  services: ServiceSpec[];
  hosts: ClusterHostStates;
  /** keepalived on the director, as read by the keepalived engine; absent: not read. */
  keepalived?: KeepalivedStatus;
  /**
   * Services on the director this cluster does not own (partitionTable): never in `services`, never
   * changed; the director's /etc/ipvsadm.rules keeps them so a reboot restores them too.
   */
  kept?: KeptService[];
  /** Labels of foreign services moved into `services` because the operator takes them over. */
  takenOver?: string[];
  /** The second director of a VRRP pair, as read; absent: the cluster has (or had) one. */
  peer?: PeerState;
}

/** A pair's second director: its own IPVS table, host state and keepalived. */
export interface PeerState {
  services: ServiceSpec[];
  host: HostState;
  keepalived?: KeepalivedStatus;
  kept?: KeptService[];
}

export interface KeepalivedStatus {
  /** The running keepalived's process id (from its pid file, alive); null: not running. */
  pid: number | null;
  /** The panel's keepalived.conf on the director; null: none, or one the panel did not write. */
  conf: string | null;
  /** A keepalived.conf is there that the panel did not write: never overwritten. */
  foreignConf: boolean;
}

export function isClusterState(x: ClusterSpec | ClusterState): x is ClusterState {
  return "hosts" in x;
}

/** The state a cluster is in once `spec` has been applied (hosts configured as the spec says). */
export function stateFromSpec(
  spec: ClusterSpec,
  normalized?: ServiceSpec[],
  memo: HostFileMemo | null = null,
): ClusterState {
  // Services stay as given (not normalized) so a mark service keeps the VIP it covers. Not
  // copied: the plan only reads them, and applyPlanToState clones before it writes.
  return { services: [...spec.services], hosts: desiredHostStates(spec, normalized, memo) };
}

export function toClusterState(
  x: ClusterSpec | ClusterState,
  normalized?: ServiceSpec[],
  memo: HostFileMemo | null = null,
): ClusterState {
  return isClusterState(x) ? x : stateFromSpec(x, normalized, memo);
}
