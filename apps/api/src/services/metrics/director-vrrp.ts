// Each director's VRRP state for /metrics, as the panel last read it (the cluster health's
// verdicts: GET /api/clusters/:id/health and the cluster page read keepalived's state on both
// directors of a pair) — never read for a scrape. Only clusters with a VRRP pair have one; a
// state the panel could not read ("UNKNOWN") has no series, so it never looks like a failover.
import type { ClusterHealthService } from "../health/cluster-health.ts";

export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "INIT", "STOPPED"] as const;
export type VrrpStateName = (typeof VRRP_STATES)[number];

export interface DirectorVrrpState {
  clusterId: string;
  /** The director's host id. */
  hostId: string;
  state: VrrpStateName;
  /** When the panel read it (ISO). */
  readAt: string;
}

const isReported = (state: string): state is VrrpStateName =>
  (VRRP_STATES as readonly string[]).includes(state);

/** The last known VRRP state of every director of the clusters' VRRP pairs. */
export function directorVrrpStates(
  health: Pick<ClusterHealthService, "lastKnown">,
  clusterIds: Iterable<string>,
): DirectorVrrpState[] {
  const states: DirectorVrrpState[] = [];
  for (const clusterId of clusterIds) {
    for (const d of health.lastKnown(clusterId)?.directors ?? []) {
      if (d.vrrp && isReported(d.vrrp.state)) {
        states.push({ clusterId, hostId: d.hostId, state: d.vrrp.state, readAt: d.vrrp.readAt });
      }
    }
  }
  return states;
}
