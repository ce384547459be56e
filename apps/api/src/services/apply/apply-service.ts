// Plan and apply a cluster's desired state on its director and realservers. This file composes
// the pieces (see docs/architecture.md): read the hosts and plan (cluster-reading.ts), hold one
// apply per cluster, record it (apply-store.ts), run it on the hosts (apply-pipeline.ts) while
// its events stream to whoever watches (apply-events.ts).
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import type { SessionUser } from "../auth-service.ts";
import { conflict, DomainError, hostFailure } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import { ApplyChannels, type ApplyEvent } from "./apply-events.ts";
import { runApply } from "./apply-pipeline.ts";
import { createApplyStore } from "./apply-store.ts";
import { readAndPlan } from "./cluster-reading.ts";
import { type AppliedDesired, type ClusterContext, loadClusterContext } from "./context.ts";
import { type PlanView, toPlanView, usesThresholds } from "./plan-view.ts";
import { pendingHostsAfter, unreachableRefusal } from "./unreachable.ts";

export type { ApplyEvent, ApplyStatus } from "./apply-events.ts";

export interface ApplyOptions {
  /** Refuse unless the plan is still the one the operator previewed. */
  planHash?: string | undefined;
  drain?: boolean | undefined;
}

export function createApplyService(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  commandTimeoutMs?: number | undefined;
  /** Where errors that no request is waiting for go (the server log). */
  log?: (message: string) => void;
}) {
  const { db, targets, pool } = deps;
  const timeoutMs = deps.commandTimeoutMs ?? 120_000;
  const channels = new ApplyChannels();
  const store = createApplyStore(db, channels);
  /** clusterId → applyId ("pending" while the snapshot is read): one apply per cluster. */
  const running = new Map<string, string>();

  async function plan(clusterId: string, opts: ApplyOptions = {}): Promise<PlanView> {
    const ctx = await loadClusterContext(db, targets, pool, clusterId);
    const planned = await readAndPlan(ctx, { drain: opts.drain });
    return toPlanView(
      ctx,
      planned.plan,
      planned.readErrors,
      usesThresholds(planned.assumed, ctx.desired),
      planned.hosts,
    );
  }

  async function start(user: SessionUser, clusterId: string, opts: ApplyOptions = {}) {
    if (running.has(clusterId)) {
      throw conflict("an apply is already running for this cluster", {});
    }
    running.set(clusterId, "pending");
    let opened: ClusterContext | undefined;
    try {
      // One shell per host for the whole apply: snapshot, changes, persist and any rollback.
      const ctx = await loadClusterContext(db, targets, pool, clusterId, { sessions: true });
      opened = ctx;
      const planned = await readAndPlan(ctx, { preflight: true, drain: opts.drain });
      const readThresholds = usesThresholds(planned.assumed, ctx.desired);
      const view = toPlanView(ctx, planned.plan, planned.readErrors, readThresholds, planned.hosts);
      refuseUnlessRunnable(planned, view, opts);
      const pendingHosts = pendingHostsAfter(planned.hosts, planned.believed, new Date());
      const desired: AppliedDesired = {
        spec: ctx.desired,
        realserverHosts: ctx.realserverHosts,
        ...(Object.keys(pendingHosts).length > 0 ? { pendingHosts } : {}),
      };
      const applyId = await store.begin(user, clusterId, view, desired);
      running.set(clusterId, applyId);
      const channel = channels.open(applyId);
      const run = {
        state: planned.assumed,
        readings: planned.readings,
        assumedHosts: planned.assumedHosts,
        plan: planned.plan,
        readThresholds,
      };
      void (async () => {
        const { status, error } = await runApply(ctx, run, channel.emit, { timeoutMs });
        channel.emit({
          stage: "done",
          status: status === "succeeded" ? "ok" : "failed",
          message: status,
          outcome: status,
        });
        try {
          await store.finish(user, clusterId, applyId, { status, error, events: channel.events });
        } catch (err) {
          deps.log?.(
            `apply ${applyId}: could not record its outcome (${status}): ${(err as Error).message}`,
          );
        } finally {
          channel.end();
          channels.retire(applyId);
        }
      })()
        .catch((err: unknown) => deps.log?.(`apply ${applyId}: ${(err as Error).message}`))
        .finally(() => {
          running.delete(clusterId);
          void ctx.close();
        });
      return { applyId };
    } catch (err) {
      if (running.get(clusterId) === "pending") running.delete(clusterId);
      void opened?.close();
      throw err;
    }
  }

  return {
    plan,
    start,
    /** Live events of a running apply (replayed from the start), or null once it is stored. */
    subscribe(applyId: string, onEvent: (e: ApplyEvent) => void, onEnd: () => void) {
      return channels.get(applyId)?.subscribe(onEvent, onEnd) ?? null;
    },
    get: store.get,
    history: store.history,
    pendingHostSteps: store.pendingHostSteps,
    markInterrupted: store.markInterrupted,
  };
}

export type ApplyService = ReturnType<typeof createApplyService>;

/** An apply goes ahead only on the plan previewed, valid, and needing no unreachable host. */
function refuseUnlessRunnable(
  planned: Awaited<ReturnType<typeof readAndPlan>>,
  view: PlanView,
  opts: ApplyOptions,
): void {
  const blocked = planned.hosts.find((h) => h.needed.length > 0);
  if (blocked && planned.plan.errors.length === 0) {
    // As a failed connect would have answered, now naming what the change needs there.
    const cause = planned.unreachable.get(blocked.key)?.error;
    throw cause
      ? hostFailure(cause, unreachableRefusal(blocked))
      : new DomainError("host_failed", blocked.code, unreachableRefusal(blocked));
  }
  if (planned.plan.errors.length > 0) {
    throw new DomainError(
      "invalid",
      "INVALID_DESIRED_STATE",
      planned.plan.errors.map((e) => e.message).join("; "),
    );
  }
  if (opts.planHash && opts.planHash !== view.hash) {
    throw conflict("the hosts or the cluster changed since the preview; review the new plan", {
      planHash: "stale",
    });
  }
}
