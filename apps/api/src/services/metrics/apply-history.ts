// Applies as /metrics counts them, from the Apply table: outcomes per cluster, durations, the last
// success. An apply's row holds its plan and log (megabytes on a large cluster) before its
// times, so reading its times reads the whole row: a finished apply never changes, so each one's
// times are read once per process and kept. A scrape counts statuses (the rows' short leading
// columns only) and reads the times of the applies it has not seen finished yet.
import type { Db } from "../../plugins/db.ts";

export const APPLY_OUTCOMES = ["succeeded", "failed", "rolled_back", "interrupted"] as const;
export type ApplyOutcome = (typeof APPLY_OUTCOMES)[number];

interface FinishedApply {
  clusterId: string;
  status: ApplyOutcome;
  /** null for an interrupted apply: its end is when the panel restarted, not a duration. */
  seconds: number | null;
  finishedAt: number;
}

export interface ClusterApplies {
  outcomes: Record<ApplyOutcome, number>;
  running: number;
  /** Durations of the applies that ran to an end (interrupted ones excluded). */
  durations: number[];
  /** When the last successful apply finished (ms), or null. */
  lastSuccessAt: number | null;
}

const isOutcome = (status: string): status is ApplyOutcome =>
  (APPLY_OUTCOMES as readonly string[]).includes(status);

/** Rows per `IN (…)` read of the times, well under SQLite's variable limit. */
const CHUNK = 500;

export function createApplyHistory(db: Db) {
  const finished = new Map<string, FinishedApply>();

  /** Makes the cache hold exactly the cluster's finished applies. */
  async function catchUp(clusterId: string): Promise<void> {
    const rows = await db.apply.findMany({
      where: { clusterId, status: { in: [...APPLY_OUTCOMES] } },
      select: { id: true },
    });
    const ids = new Set(rows.map((r) => r.id));
    for (const [id, a] of finished)
      if (a.clusterId === clusterId && !ids.has(id)) finished.delete(id);
    const missing = [...ids].filter((id) => !finished.has(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const times = await db.apply.findMany({
        where: { id: { in: missing.slice(i, i + CHUNK) } },
        select: { id: true, status: true, startedAt: true, finishedAt: true },
      });
      for (const t of times) {
        if (!isOutcome(t.status)) continue; // it changed meanwhile; the next scrape sees it
        const end = (t.finishedAt ?? t.startedAt).getTime();
        finished.set(t.id, {
          clusterId,
          status: t.status,
          seconds:
            t.status === "interrupted" ? null : Math.max(0, (end - t.startedAt.getTime()) / 1000),
          finishedAt: end,
        });
      }
    }
  }

  return {
    /** Every cluster's applies, by cluster id (clusters without any are absent). */
    async read(): Promise<Map<string, ClusterApplies>> {
      const groups = await db.apply.groupBy({
        by: ["clusterId", "status"],
        _count: { _all: true },
      });
      const result = new Map<string, ClusterApplies>();
      const of = (clusterId: string) => {
        let c = result.get(clusterId);
        if (!c) {
          c = {
            outcomes: { succeeded: 0, failed: 0, rolled_back: 0, interrupted: 0 },
            running: 0,
            durations: [],
            lastSuccessAt: null,
          };
          result.set(clusterId, c);
        }
        return c;
      };
      for (const g of groups) {
        const c = of(g.clusterId);
        if (isOutcome(g.status)) c.outcomes[g.status] += g._count._all;
        else if (g.status === "running") c.running += g._count._all;
      }
      // A deleted cluster's applies went with it.
      for (const [id, a] of finished) if (!result.has(a.clusterId)) finished.delete(id);
      const cached = new Map<string, number>();
      for (const a of finished.values())
        cached.set(a.clusterId, (cached.get(a.clusterId) ?? 0) + 1);
      for (const [clusterId, c] of result) {
        const total = APPLY_OUTCOMES.reduce((n, o) => n + c.outcomes[o], 0);
        if (total !== (cached.get(clusterId) ?? 0)) await catchUp(clusterId);
      }
      for (const a of finished.values()) {
        const c = result.get(a.clusterId);
        if (!c) continue;
        if (a.seconds !== null) c.durations.push(a.seconds);
        if (a.status === "succeeded" && (c.lastSuccessAt ?? 0) < a.finishedAt) {
          c.lastSuccessAt = a.finishedAt;
        }
      }
      return result;
    },
  };
}

export type ApplyHistory = ReturnType<typeof createApplyHistory>;
