// One scrape's view of the panel: the inventory and applies read from the database once, and the
// services whose in-memory state the metrics read (the live hub's last readings, the health
// verdicts, the host probes, the drift checks, the SSH pool). Nothing here reads a director.
import type { SshPool } from "@lvs-panel/remote";
import type { Gauge } from "prom-client";
import type { Db } from "../../plugins/db.ts";
import type { DriftWatch } from "../drift/cluster-drift.ts";
import type { ClusterHealthService } from "../health/cluster-health.ts";
import type { HostHealthService } from "../host-health.ts";
import type { LiveHub } from "../live/live-hub.ts";
import type { ClusterApplies } from "./apply-history.ts";
import type { InventoryCluster } from "./inventory.ts";

export interface MetricSources {
  db: Db;
  live: Pick<LiveHub, "lastReading">;
  clusterHealth: Pick<ClusterHealthService, "lastKnown">;
  hostHealth: Pick<HostHealthService, "get">;
  drift: Pick<DriftWatch, "latest">;
  ssh: Pick<SshPool, "stats">;
  now?: () => number;
}

export interface ScrapeView {
  now: number;
  clusters: InventoryCluster[];
  /** By cluster id; a cluster without applies is absent. */
  applies: Map<string, ClusterApplies>;
  sources: MetricSources;
}

/**
 * Figures read longer ago than this are not exported: a director that stopped answering must
 * not look idle (counters frozen) or healthy (verdicts kept). Prometheus forgets a series after
 * the same five minutes.
 */
export const FRESH_MS = 5 * 60_000;

/** Whether a figure learnt at `at` (ISO text or ms) may still be exported. */
export function isFresh(view: ScrapeView, at: string | number | null | undefined): boolean {
  if (at === null || at === undefined) return false;
  return view.now - (typeof at === "number" ? at : Date.parse(at)) <= FRESH_MS;
}

export const seconds = (ms: number) => ms / 1000;

/** An enum as Prometheus likes it: one series per state, 1 for the current one, 0 for the rest. */
export function setState<L extends string>(
  gauge: Gauge<L | "state">,
  labels: Record<L, string>,
  states: readonly string[],
  current: string,
): void {
  for (const state of states) {
    gauge.set({ ...labels, state } as Record<L | "state", string>, state === current ? 1 : 0);
  }
}
