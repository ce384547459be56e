// Plan and apply a cluster's desired state on its director and realservers. This file composes
// the pieces (see docs/architecture.md): read the hosts and plan (cluster-reading.ts), hold one
// apply per cluster, record it (apply-store.ts), run it on the hosts (apply-pipeline.ts) while
// its events stream to whoever watches (apply-events.ts).
import type { SshPool, SshTarget } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import type { SessionUser } from "../auth-service.ts";
import { conflict } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import type { PanelInstance } from "../instances/instance.ts";
import { applyLeaseKey, releaseLease, takeLease } from "../instances/leases.ts";
import { ApplyChannels, type ApplyEvent } from "./apply-events.ts";
import type { ApplyRun } from "./apply-pipeline.ts";
import { followStored, shareProgress } from "./apply-progress.ts";
import { runAndRecord } from "./apply-run.ts";
import { createApplyStore } from "./apply-store.ts";
import { asHostFailures, planFromReadings, readAndPlan } from "./cluster-reading.ts";
import { type AppliedDesired, type ClusterContext, loadClusterContext } from "./context.ts";
import { DirectorShells } from "./director-shells.ts";
import { ipvsadmEngine } from "./engine/ipvsadm-engine.ts";
import { checkGeneration } from "./generation.ts";
import { recordIntent } from "./ownership.ts";
import { type PlanView, toPlanView, usesThresholds } from "./plan-view.ts";
import { type CachedPreview, PreviewCache } from "./preview-cache.ts";
import { type Planned, refuseUnlessRunnable } from "./refusals.ts";
import { smallChangeOf } from "./small-change.ts";
import { pendingHostsAfter } from "./unreachable.ts";

export type { ApplyEvent, ApplyStatus } from "./apply-events.ts";

export interface ApplyOptions {
  /** Refuse unless the plan is still the one the operator previewed. */
  planHash?: string | undefined;
  drain?: boolean | undefined;
  /** Also remove the director's services that no cluster of the panel owns (a takeover). */
  removeForeign?: boolean | undefined;
}

export function createApplyService(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  commandTimeoutMs?: number | undefined;
  /** Holds the cluster's apply lease and beats for its applies; see ADR 0008. */
  instance: PanelInstance;
  /** How often a running apply's events are stored for other instances (shared database). */
  progressMs?: number;
  /** Where errors that no request is waiting for go (the server log). */
  log?: (message: string) => void;
}) {
  const { db, targets, pool, instance } = deps;
  const timeoutMs = deps.commandTimeoutMs ?? 120_000;
  const progressMs = deps.progressMs ?? 250;
  const channels = new ApplyChannels();
  const store = createApplyStore(db, channels);
  /**
   * clusterId → applyId ("pending" while the snapshot is read): one apply per cluster in this
   * process; the cluster's lease in the database makes it one across instances.
   */
  const running = new Map<string, string>();
  const lease = (clusterId: string) => applyLeaseKey(clusterId);

  // Every heartbeat: this instance's applies are alive; those of instances that stopped beating
  // are interrupted, and their leases expire, so the cluster can be applied again from here.
  instance.onBeat(async () => {
    await store.beat([...running.values()].filter((id) => id !== "pending"));
    await store.markInterrupted({ staleBefore: instance.staleBefore() });
  });

  // A preview keeps the director's shell open and, for a small change, its reading: the apply of
  // that plan then starts from it (see fromPreview).
  const shells = new DirectorShells(pool);
  const previews = new PreviewCache();
  const directorRunner = (target: SshTarget) => shells.runner(target);

  async function plan(clusterId: string, opts: ApplyOptions = {}): Promise<PlanView> {
    const drain = opts.drain ?? false;
    const removeForeign = opts.removeForeign ?? false;
    const ctx = await loadClusterContext(db, targets, pool, clusterId, {
      removeForeign,
      directorRunner,
    });
    const planned = await readAndPlan(ctx, { drain });
    const prepared = prepare(ctx, planned);
    const generation = planned.readings.get("director")?.generation;
    if (prepared.small && generation && prepared.view.errors.length === 0) {
      previews.put({
        clusterId,
        hash: prepared.view.hash,
        directorHostId: ctx.director.hostId,
        readings: planned.readings,
        generation,
        drain,
        removeForeign,
        at: Date.now(),
      });
    }
    return prepared.view;
  }

  /** The plan as the preview shows it and the apply runs it. */
  function prepare(ctx: ClusterContext, planned: Planned) {
    const readThresholds = usesThresholds(planned.assumed, ctx.desired);
    const small = smallChangeOf(ctx.engine, planned.plan, planned.readings.get("director"), {
      readThresholds,
      unreachableHosts: planned.unreachable.size,
    });
    const view = toPlanView(
      ctx,
      planned.plan,
      planned.readErrors,
      readThresholds,
      planned.hosts,
      small,
    );
    return { planned, readThresholds, small, view };
  }

  /**
   * The generation check of a cached preview, on the director's shell the preview left open. It
   * needs nothing else, so it is started first and runs while the cluster is loaded and planned.
   */
  function startCheck(cached: CachedPreview) {
    return (async () => {
      const runner = directorRunner(await targets.target(cached.directorHostId));
      const verdict = await asHostFailures(() =>
        checkGeneration(runner, ipvsadmEngine, cached.generation, timeoutMs),
      );
      return { runner, verdict };
    })().catch((error: unknown) => ({ runner: null, error }));
  }

  /**
   * The apply of a previewed small change, from the preview's reading: the plan is made again
   * from it (a changed cluster still changes the hash), while one round trip checks that the
   * director's table and files are still as read (else 409, as for a changed plan). Null when
   * the plan is no longer a small change: the hosts are read as for any apply.
   */
  async function fromPreview(
    ctx: ClusterContext,
    cached: CachedPreview,
    started: ReturnType<typeof startCheck>,
    opts: ApplyOptions,
  ) {
    const prepared = prepare(
      ctx,
      planFromReadings(ctx, new Map(cached.readings), new Map(), { drain: opts.drain }),
    );
    let checked = await started;
    if (!prepared.small || ctx.director.hostId !== cached.directorHostId) return null;
    refuseUnlessRunnable(prepared.planned, prepared.view, opts);
    // The host's settings changed in between: check where the apply will run.
    if (checked.runner !== ctx.director.runner) checked = await startCheck(cached);
    if ("error" in checked) throw checked.error;
    const { preflightFailure, stale } = checked.verdict;
    // A failed preflight fails the check too; the apply reports it, as after a full read.
    if (preflightFailure === null && stale !== null) {
      previews.forgetDirector(ctx.director.hostId);
      throw conflict(`the director changed since the preview (${stale}); review the new plan`, {
        planHash: "stale",
      });
    }
    const readings = new Map(prepared.planned.readings);
    const director = readings.get("director");
    if (director) readings.set("director", { ...director, preflightFailure });
    return {
      ...prepared,
      planned: { ...prepared.planned, readings },
      snapshotNote:
        "the director's table and files are as the preview read them (generation checked): that reading is the snapshot",
    };
  }

  async function fromHosts(ctx: ClusterContext, opts: ApplyOptions) {
    const planned = await readAndPlan(ctx, { preflight: true, drain: opts.drain });
    const prepared = prepare(ctx, planned);
    refuseUnlessRunnable(planned, prepared.view, opts);
    return { ...prepared, snapshotNote: undefined };
  }

  async function start(user: SessionUser, clusterId: string, opts: ApplyOptions = {}) {
    if (running.has(clusterId)) {
      throw conflict("an apply is already running for this cluster", {});
    }
    running.set(clusterId, "pending");
    let opened: ClusterContext | undefined;
    let leased = false;
    let launched = false;
    try {
      leased = await takeLease(db, lease(clusterId), instance.id, instance.ttlMs);
      if (!leased) {
        throw conflict(
          "an apply is already running for this cluster (on another panel instance)",
          {},
        );
      }
      const removeForeign = opts.removeForeign ?? false;
      const cached = opts.planHash
        ? previews.get(clusterId, opts.planHash, { drain: opts.drain ?? false, removeForeign })
        : undefined;
      const check = cached ? startCheck(cached) : undefined;
      // One shell per host for the whole apply: snapshot, changes, persist and any rollback. A
      // previewed small change runs on the director's shell the preview left open.
      const ctx = await loadClusterContext(db, targets, pool, clusterId, {
        sessions: true,
        removeForeign,
        ...(cached ? { directorRunner } : {}),
      });
      opened = ctx;
      const prepared =
        (cached && check ? await fromPreview(ctx, cached, check, opts) : null) ??
        (await fromHosts(ctx, opts));
      const { planned, view, readThresholds } = prepared;
      const pendingHosts = pendingHostsAfter(planned.hosts, planned.believed, new Date());
      const desired: AppliedDesired = {
        spec: ctx.desired,
        realserverHosts: ctx.realserverHosts,
        directorHosts: [
          ctx.director.hostId,
          ...(ctx.desired.peer && ctx.peer ? [ctx.peer.hostId] : []),
        ],
        ...(Object.keys(pendingHosts).length > 0 ? { pendingHosts } : {}),
      };
      const applyId = await store.begin(user, clusterId, view, desired, instance.id);
      running.set(clusterId, applyId);
      const directorHostId = ctx.director.hostId;
      const ownedBefore = await recordIntent(db, clusterId, directorHostId, ctx.desired);
      const channel = channels.open(applyId);
      const progress = instance.shared
        ? shareProgress(
            channel,
            (events) => store.saveProgress(applyId, events),
            progressMs,
            deps.log,
          )
        : undefined;
      let unlocked = false;
      const unlock = () =>
        releaseLease(db, lease(clusterId), instance.id).then(
          () => {
            unlocked = true;
          },
          (err: unknown) =>
            deps.log?.(
              `apply ${applyId}: could not release the cluster's lease: ${(err as Error).message}`,
            ),
        );
      const run: ApplyRun = {
        state: planned.assumed,
        readings: planned.readings,
        assumedHosts: planned.assumedHosts,
        plan: planned.plan,
        readThresholds,
        small: prepared.small,
        ...(prepared.snapshotNote ? { snapshotNote: prepared.snapshotNote } : {}),
      };
      void runAndRecord(
        { db, store, channels, log: deps.log, timeoutMs },
        {
          user,
          clusterId,
          applyId,
          ctx,
          run,
          channel,
          ownedBefore,
          onSettled: () => {
            // Whatever happened, the director's table may differ from what previews read.
            previews.forgetDirector(directorHostId);
          },
          // The hosts are done: another instance may apply while the outcome is recorded.
          beforeFinish: async () => {
            await progress?.stop();
            await unlock();
          },
          onEnd: () => {
            void progress?.stop();
            if (unlocked) running.delete(clusterId);
            else void unlock().finally(() => running.delete(clusterId));
          },
        },
      );
      launched = true;
      return { applyId };
    } catch (err) {
      // Not started on the hosts: free the cluster (an apply row already begun goes stale and is
      // marked interrupted by the next heartbeat).
      if (!launched) {
        if (leased) await releaseLease(db, lease(clusterId), instance.id).catch(() => undefined);
        running.delete(clusterId);
      }
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
    /** Events of an apply that another instance runs, from the database, until it ends. */
    follow(applyId: string, onEvent: (e: ApplyEvent) => void, onEnd: () => void) {
      return followStored(() => store.get(applyId), onEvent, onEnd, progressMs);
    },
    get: store.get,
    history: store.history,
    pendingHostSteps: store.pendingHostSteps,
    /** At start: the applies left running by this instance's previous run (SQLite: by anyone). */
    markInterrupted: () =>
      store.markInterrupted(
        instance.shared
          ? { owner: instance.id, staleBefore: instance.staleBefore() }
          : { everything: true },
      ),
  };
}

export type ApplyService = ReturnType<typeof createApplyService>;
