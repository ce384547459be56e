// The live state of a whole cluster as the plan sees it: the director's IPVS table plus the
// host-level state of the director and of every realserver.
import { type ClusterHostStates, desiredHostStates } from "../host/desired.ts";
import type { HostFileMemo } from "../host/file-memo.ts";
import type { ClusterSpec, ServiceSpec } from "../model.ts";

export interface ClusterState {
  /** The IPVS table (as read by ipvsadm-save/-Ln and converted with servicesFromListing). */
  services: ServiceSpec[];
  hosts: ClusterHostStates;
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
