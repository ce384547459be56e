// The drift check: every interval (60 s by default), each cluster's director is read through the
// SSH pool and compared with what the panel last put there, imported or adopted (the cluster's
// known table). Only the cluster's own services count; a running apply is left alone.
import { ownershipKey, type ServiceSpec, type TableDrift, tableDrift } from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { assembleState, readHosts } from "../apply/cluster-reading.ts";
import { type ClusterContext, loadClusterContext } from "../apply/context.ts";
import { lastAppliedDesired } from "../apply/last-applied.ts";
import { DomainError } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";

export interface DriftView extends TableDrift {
  clusterId: string;
  /** drift: changed outside the panel; none: as the panel left it; unknown: could not tell. */
  status: "drift" | "none" | "unknown";
  /** Why the status is unknown. */
  reason: string | null;
  /** When the director was read (ISO); null when it was not. */
  at: string | null;
}

const NO_DRIFT: TableDrift = {
  changes: [],
  counts: { service: 0, realserver: 0, weight: 0, setting: 0 },
  summary: "",
};

export function createDriftWatch(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  /** 0: no background check (GET /drift still reads on demand). */
  intervalMs: number;
  /** Whether this instance runs the background check (one of several does: ADR 0008). */
  isLeader?: () => boolean;
  log?: (message: string) => void;
}) {
  const { db, targets, pool } = deps;
  const latest = new Map<string, DriftView>();

  const unknown = (clusterId: string, reason: string): DriftView => ({
    clusterId,
    status: "unknown",
    reason,
    at: null,
    ...NO_DRIFT,
  });

  async function check(clusterId: string): Promise<DriftView> {
    const running = await db.apply.findFirst({ where: { clusterId, status: "running" } });
    if (running) return remember(unknown(clusterId, "an apply is running"));
    let ctx: Awaited<ReturnType<typeof loadClusterContext>>;
    try {
      ctx = await loadClusterContext(db, targets, pool, clusterId);
    } catch (err) {
      if (err instanceof DomainError && err.code === "NO_DIRECTOR") {
        return remember(unknown(clusterId, "the cluster has no director"));
      }
      throw err;
    }
    const known = await knownTable(db, clusterId);
    if (known === null) {
      return remember(unknown(clusterId, "nothing was applied or imported yet"));
    }
    try {
      const { drift } = await readDrift(ctx, known);
      return remember({
        clusterId,
        status: drift.changes.length > 0 ? "drift" : "none",
        reason: null,
        at: new Date().toISOString(),
        ...drift,
      });
    } catch (err) {
      return remember(
        unknown(clusterId, `the director could not be read: ${(err as Error).message}`),
      );
    }
  }

  function remember(view: DriftView): DriftView {
    latest.set(view.clusterId, view);
    return view;
  }

  let timer: NodeJS.Timeout | null = null;
  let sweeping = false;
  async function sweep() {
    if (sweeping || (deps.isLeader && !deps.isLeader())) return;
    sweeping = true;
    try {
      const clusters = await db.cluster.findMany({
        where: { directors: { some: {} } },
        select: { id: true },
      });
      for (const { id } of clusters) {
        await check(id).catch((err: unknown) =>
          deps.log?.(`drift check of cluster ${id}: ${(err as Error).message}`),
        );
      }
    } finally {
      sweeping = false;
    }
  }
  if (deps.intervalMs > 0) {
    timer = setInterval(() => void sweep(), deps.intervalMs);
    timer.unref();
  }

  return {
    check,
    /** The last check of a cluster, if any (the overview shows it without reading). */
    latest: (clusterId: string) => latest.get(clusterId) ?? null,
    forget: (clusterId: string) => latest.delete(clusterId),
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

export type DriftWatch = ReturnType<typeof createDriftWatch>;

/** The director read now, its owned services, and how they differ from the known table. */
export async function readDrift(ctx: ClusterContext, known: readonly ServiceSpec[]) {
  const { readings } = await readHosts(ctx, { only: new Set(["director"]), files: "skip" });
  const { state } = assembleState(ctx, readings);
  const ours = known.filter((s) => ctx.ownership.owned.has(ownershipKey(s)));
  const drift = tableDrift(ours, state.services, {
    keepalived: ctx.desired.engine === "keepalived",
  });
  return { drift, live: state.services };
}

/** What the director should hold of the cluster: its known table, or its last successful apply. */
export async function knownTable(db: Db, clusterId: string): Promise<ServiceSpec[] | null> {
  const cluster = await db.cluster.findUnique({
    where: { id: clusterId },
    select: { knownTable: true },
  });
  if (cluster?.knownTable) return JSON.parse(cluster.knownTable) as ServiceSpec[];
  return (await lastAppliedDesired(db, clusterId)).spec?.services ?? null;
}
