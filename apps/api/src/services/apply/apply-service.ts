// Plan and apply a cluster's desired state on its director and realservers, transactionally:
// preflight and snapshot every host (one read: the checks run first, then the state before
// anything changes), run the plan wave by wave (a wave is a phase, or consecutive phases of one
// host alone; hosts in parallel inside a wave, one SSH round trip per host per wave), verify by
// reading back, persist, verify again. The read-backs ride in the round trip of a stage's last
// wave. Any failure restores every host to its snapshot.
import { EventEmitter } from "node:events";
import {
  type ClusterState,
  desiredHostStates,
  emptyHostState,
  type HostState,
  type Plan,
  planCluster,
  planTransition,
} from "@lvs-panel/lvs";
import { RemoteError, type SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { recordAudit } from "../audit.ts";
import type { SessionUser } from "../auth-service.ts";
import { conflict, DomainError, hostFailure, notFound } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import { parseBatchOutput, renderHostBatchInRuns } from "./batch.ts";
import {
  type AppliedDesired,
  type ClusterContext,
  type HostHandle,
  loadClusterContext,
  pendingHostsOf,
} from "./context.ts";
import {
  hostHandle,
  type PlanView,
  readBackOptions,
  toPlanView,
  usesThresholds,
  waveScript,
} from "./plan-view.ts";
import {
  filesFromHashes,
  type HostReading,
  parseHostReading,
  type ReadOptions,
  readHost,
} from "./read-state.ts";
import {
  isUnreachable,
  pendingHostsAfter,
  planAroundUnreachable,
  type UnreachableHost,
  unreachableRefusal,
} from "./unreachable.ts";
import { executionWaves, stepHostKey, type Wave } from "./waves.ts";

export type ApplyStatus = "running" | "succeeded" | "failed" | "rolled_back" | "interrupted";

export interface ApplyEvent {
  seq: number;
  at: string;
  stage: "preflight" | "snapshot" | "apply" | "verify" | "persist" | "rollback" | "done";
  status: "running" | "ok" | "failed" | "info";
  host?: string;
  hostName?: string;
  phase?: string;
  stepIds?: string[];
  command?: string;
  message: string;
  output?: string;
}

export interface ApplyOptions {
  /** Refuse unless the plan is still the one the operator previewed. */
  planHash?: string | undefined;
  drain?: boolean | undefined;
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly host?: string,
  ) {
    super(message);
  }
}

export function createApplyService(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  commandTimeoutMs?: number;
  /** Where errors that no request is waiting for go (the server log). */
  log?: (message: string) => void;
}) {
  const { db, targets, pool } = deps;
  const timeoutMs = deps.commandTimeoutMs ?? 120_000;
  const running = new Map<string, string>(); // clusterId → applyId
  const live = new Map<string, { emitter: EventEmitter; events: ApplyEvent[] }>();

  /**
   * Reads the given hosts (all by default) in parallel, one round trip each. A realserver that
   * cannot be reached is reported in `unreachable` (the caller plans around it); the director
   * must answer.
   */
  async function readHosts(
    ctx: ClusterContext,
    opts: ReadOptions & { only?: ReadonlySet<string> } = {},
  ): Promise<{
    readings: Map<string, HostReading>;
    unreachable: Map<string, UnreachableHost>;
  }> {
    const handles = [ctx.director, ...ctx.realservers.values()].filter(
      (h) => !opts.only || opts.only.has(h.key),
    );
    const readings = new Map<string, HostReading>();
    const unreachable = new Map<string, UnreachableHost>();
    await Promise.all(
      handles.map(async (h) => {
        try {
          readings.set(h.key, await readHost(h.runner, h.role, opts));
        } catch (err) {
          if (h.role === "realserver" && h.address !== null && isUnreachable(err)) {
            unreachable.set(h.key, { handle: { ...h, address: h.address }, error: err });
            return;
          }
          throw namingHost(err, h);
        }
      }),
    );
    return { readings, unreachable };
  }

  /**
   * The cluster's state from host readings (the director's must include its IPVS table). Hosts
   * in `assumed` (by key) were not read: they are taken to hold that state.
   */
  function assembleState(
    ctx: ClusterContext,
    readings: ReadonlyMap<string, HostReading>,
    assumed: ReadonlyMap<string, HostState> = new Map(),
  ) {
    const readErrors: string[] = [];
    const director = readings.get("director");
    if (!director) throw new Error("the director was not read");
    readErrors.push(...director.parseErrors.map((e) => `director: ${e}`));
    // Filled in a fixed order (not completion order): the plan, and so its hash, must not depend
    // on which host answered first.
    const realservers: Record<string, HostState> = {};
    for (const address of [...ctx.realservers.keys()].sort((a, b) => a.localeCompare(b))) {
      const reading = readings.get(`rs:${address}`);
      const assumedState = assumed.get(`rs:${address}`);
      if (assumedState) realservers[address] = assumedState;
      if (!reading) continue;
      readErrors.push(...reading.parseErrors.map((e) => `${address}: ${e}`));
      realservers[address] = reading.state;
    }
    // Realservers the panel cannot reach are taken as already configured, so the plan has no
    // steps it could not run; the plan view warns about them instead.
    const desiredHosts = desiredHostStates(ctx.desired);
    for (const address of ctx.unmanaged) {
      const state = desiredHosts.realservers[address];
      if (state) realservers[address] = state;
    }
    const state: ClusterState = {
      services: director.services ?? [],
      hosts: { director: director.state, realservers },
    };
    return { state, readErrors, ipvsadmSave: director.ipvsadmSave ?? "" };
  }

  /**
   * Every host read, and the plan from what they hold: unreachable realservers are taken as
   * believed (see planAroundUnreachable). `assumed` is the state the plan starts from, with each
   * unreachable realserver at its desired state (the plan has no step on it).
   */
  async function readAndPlan(ctx: ClusterContext, opts: ReadOptions & { drain?: boolean }) {
    const { readings, unreachable } = await readHosts(ctx, opts);
    const believedHosts = new Map(
      [...unreachable].map(([key, u]) => [key, ctx.believedState(u.handle.address)] as const),
    );
    const { state, readErrors } = assembleState(ctx, readings, believedHosts);
    const around = planAroundUnreachable(ctx, state, unreachable, { drain: opts.drain ?? false });
    const assumedHosts = new Map(
      [...unreachable].map(([key, u]) => [
        key,
        around.assumed.hosts.realservers[u.handle.address] ?? emptyHostState("realserver"),
      ]),
    );
    return { ...around, believed: state, readings, readErrors, unreachable, assumedHosts };
  }

  async function withRemoteErrors<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (err instanceof RemoteError) throw hostFailure(err); // host_timeout for timeouts, …
      const message = err instanceof Error ? err.message : String(err);
      throw new DomainError("host_failed", "REMOTE", message);
    }
  }

  async function plan(clusterId: string, opts: ApplyOptions = {}): Promise<PlanView> {
    const ctx = await loadClusterContext(db, targets, pool, clusterId);
    const planned = await withRemoteErrors(() => readAndPlan(ctx, { drain: opts.drain }));
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
      const planned = await withRemoteErrors(() =>
        readAndPlan(ctx, { preflight: true, drain: opts.drain }),
      );
      const { plan: thePlan, assumed: state, readings, readErrors } = planned;
      const readThresholds = usesThresholds(state, ctx.desired);
      const view = toPlanView(ctx, thePlan, readErrors, readThresholds, planned.hosts);
      const blocked = planned.hosts.find((h) => h.needed.length > 0);
      if (blocked && thePlan.errors.length === 0) {
        // As a failed connect would have answered, now naming what the change needs there.
        const cause = planned.unreachable.get(blocked.key)?.error;
        throw cause
          ? hostFailure(cause, unreachableRefusal(blocked))
          : new DomainError("host_failed", blocked.code, unreachableRefusal(blocked));
      }
      if (thePlan.errors.length > 0) {
        throw new DomainError(
          "invalid",
          "INVALID_DESIRED_STATE",
          thePlan.errors.map((e) => e.message).join("; "),
        );
      }
      if (opts.planHash && opts.planHash !== view.hash) {
        throw conflict("the hosts or the cluster changed since the preview; review the new plan", {
          planHash: "stale",
        });
      }
      const pendingHosts = pendingHostsAfter(planned.hosts, planned.believed, new Date());
      const desired: AppliedDesired = {
        spec: ctx.desired,
        realserverHosts: ctx.realserverHosts,
        ...(Object.keys(pendingHosts).length > 0 ? { pendingHosts } : {}),
      };
      const record = await db.$transaction(async (tx) => {
        const created = await tx.apply.create({
          data: {
            clusterId,
            userId: user.id,
            status: "running",
            plan: JSON.stringify(view),
            desired: JSON.stringify(desired),
          },
        });
        await recordAudit(tx, user, "apply.start", { type: "cluster", id: clusterId }, null, {
          applyId: created.id,
          summary: view.summary.lines,
        });
        return created;
      });
      running.set(clusterId, record.id);
      const channel = { emitter: new EventEmitter(), events: [] as ApplyEvent[] };
      live.set(record.id, channel);
      const run = { state, readings, assumedHosts: planned.assumedHosts, plan: thePlan };
      void execute(record.id, user, ctx, run, readThresholds, channel)
        .catch((err: unknown) => deps.log?.(`apply ${record.id}: ${(err as Error).message}`))
        .finally(() => {
          running.delete(clusterId);
          void ctx.close();
        });
      return { applyId: record.id };
    } catch (err) {
      if (running.get(clusterId) === "pending") running.delete(clusterId);
      void opened?.close();
      throw err;
    }
  }

  async function execute(
    applyId: string,
    user: SessionUser,
    ctx: ClusterContext,
    run: {
      /** The snapshot: every host as read, unreachable realservers as assumed. */
      state: ClusterState;
      readings: ReadonlyMap<string, HostReading>;
      /** Unreachable realservers (by key) and the state the plan takes them to hold. */
      assumedHosts: ReadonlyMap<string, HostState>;
      plan: Plan;
    },
    readThresholds: boolean,
    channel: { emitter: EventEmitter; events: ApplyEvent[] },
  ) {
    const { state: snapshot, readings: snapshotReadings, assumedHosts, plan: thePlan } = run;
    const emit = (e: Omit<ApplyEvent, "seq" | "at">) => {
      const event: ApplyEvent = { seq: channel.events.length, at: new Date().toISOString(), ...e };
      channel.events.push(event);
      channel.emitter.emit("event", event);
    };
    const touched = new Set<string>();
    let status: ApplyStatus = "succeeded";
    let error: string | null = null;
    try {
      checkPreflight(ctx, thePlan, snapshotReadings, emit);
      emit({ stage: "snapshot", status: "ok", message: "current state of every host recorded" });
      const waves = executionWaves(thePlan);
      // The latest reading of every host: read-backs replace entries as the stages finish.
      const readings = new Map<string, HostReading>();
      const { readBacks: runtimeRead } = await runWaves(
        ctx,
        waves.filter((w) => w.stage === "apply"),
        emit,
        touched,
        { readThresholds },
      );
      for (const [key, r] of runtimeRead) {
        // The runtime read-back skips the persisted files, which only the persist stage changes.
        const files = snapshotReadings.get(key)?.state.files ?? {};
        readings.set(key, { ...r, state: { ...r.state, files } });
      }
      const unread = new Set(
        [ctx.director, ...ctx.realservers.values()]
          .map((h) => h.key)
          .filter((k) => !readings.has(k) && !assumedHosts.has(k)),
      );
      if (unread.size > 0) {
        const again = await readHosts(ctx, { only: unread });
        for (const [key, r] of again.readings) readings.set(key, r);
        const lost = [...again.unreachable.values()][0];
        if (lost) throw namingHost(lost.error, lost.handle);
      }
      verify(ctx, readings, assumedHosts, "runtime", emit);
      const { readBacks: persistRead } = await runWaves(
        ctx,
        waves.filter((w) => w.stage === "persist"),
        emit,
        touched,
        { readThresholds },
      );
      const desiredHosts = desiredHostStates(ctx.desired);
      for (const [key, r] of persistRead) {
        // Persisting writes files only: the runtime read-back still holds the rest. The files
        // were read back as sums, judged against what each host should hold.
        const before = readings.get(key);
        const want =
          key === "director"
            ? (desiredHosts.director?.files ?? {})
            : (desiredHosts.realservers[key.slice(3)]?.files ?? {});
        const files = filesFromHashes(r.fileHashes ?? {}, want);
        if (before) readings.set(key, { ...before, state: { ...before.state, files } });
      }
      verify(ctx, readings, assumedHosts, "all", emit);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      emit({ stage: "apply", status: "failed", message: error });
      status = touched.size > 0 ? await rollback(ctx, snapshot, touched, emit) : "failed";
    }
    emit({ stage: "done", status: status === "succeeded" ? "ok" : "failed", message: status });
    const record = () =>
      db.$transaction(async (tx) => {
        await tx.apply.update({
          where: { id: applyId },
          data: { status, error, log: JSON.stringify(channel.events), finishedAt: new Date() },
        });
        await recordAudit(tx, user, "apply.finish", { type: "cluster", id: ctx.clusterId }, null, {
          applyId,
          status,
          error,
        });
      });
    // The hosts are done: recording the outcome must not fail silently or leave the apply
    // "running". One retry rides over a busy database; if that fails too, the apply is marked
    // interrupted at the next start, and the error goes to the log.
    try {
      await record().catch(async () => {
        await new Promise((r) => setTimeout(r, 500));
        await record();
      });
    } catch (err) {
      deps.log?.(
        `apply ${applyId}: could not record its outcome (${status}): ${(err as Error).message}`,
      );
    } finally {
      channel.emitter.emit("end");
    }
    // Late subscribers read the stored log; keep the channel a little for those already listening.
    setTimeout(() => live.delete(applyId), 60_000).unref();
  }

  /** The preflight ran as the first part of the snapshot read; report it per host in the plan. */
  function checkPreflight(
    ctx: ClusterContext,
    thePlan: Plan,
    readings: ReadonlyMap<string, HostReading>,
    emit: (e: Omit<ApplyEvent, "seq" | "at">) => void,
  ) {
    const keys = new Set(["director", ...thePlan.steps.map(stepHostKey)]);
    const failures: string[] = [];
    for (const key of keys) {
      const handle = hostHandle(ctx, key);
      if (!handle) continue;
      const failure = readings.get(key)?.preflightFailure;
      if (failure === null) {
        emit({
          stage: "preflight",
          status: "ok",
          host: key,
          hostName: handle.hostName,
          message: "reachable, tools present",
        });
        continue;
      }
      const message = `preflight on ${handle.hostName} failed: ${failure ?? "the host was not read"}`;
      emit({ stage: "preflight", status: "failed", host: key, hostName: handle.hostName, message });
      failures.push(message);
    }
    if (failures.length > 0) throw new StepFailure(failures.join("; "));
  }

  /**
   * Runs waves in order, the hosts of a wave in parallel. Returns the read-backs of waves that
   * carry one, by host key.
   */
  async function runWaves(
    ctx: ClusterContext,
    waves: readonly Wave[],
    emit: (e: Omit<ApplyEvent, "seq" | "at">) => void,
    touched: Set<string>,
    opts: {
      stage?: ApplyEvent["stage"];
      /**
       * On a failed wave, return (with the failures) instead of throwing. Either way no later
       * wave runs: later phases may rely on the failed host's step (e.g. a realserver's DR
       * settings must stay while the director may still send it traffic).
       */
      returnFailures?: boolean;
      /** Whether read-backs read thresholds (see usesThresholds); as the preview said. */
      readThresholds?: boolean;
    } = {},
  ): Promise<{ readBacks: Map<string, HostReading>; failed: Map<string, string> }> {
    const stage = opts.stage ?? waves[0]?.stage ?? "apply";
    const readBacks = new Map<string, HostReading>();
    const failed = new Map<string, string>();
    for (const wave of waves) {
      const failures: string[] = [];
      await Promise.all(
        [...wave.hosts].map(async ([key, runs]) => {
          const handle = hostHandle(ctx, key);
          if (!handle) return;
          const batch = renderHostBatchInRuns(runs.map((r) => r.steps));
          touched.add(key);
          const phaseOf = new Map<string, string>();
          for (const { phase, steps } of runs) {
            for (const step of steps) phaseOf.set(step.id, phase);
            emit({
              stage,
              status: "running",
              host: key,
              hostName: handle.hostName,
              phase,
              message: `${steps.length} step(s)`,
            });
          }
          let stdout = "";
          let failure: string | null = null;
          try {
            const script = waveScript(batch, handle.role, wave, opts.readThresholds ?? true);
            const res = await handle.runner.run({ script }, { timeoutMs });
            stdout = res.stdout;
            if (res.code !== 0) failure = res.stderr.trim() || `exit ${res.code}`;
          } catch (err) {
            failure = (err as Error).message;
            // What arrived before a drop or a timeout shows which step was in flight: the batch
            // parser marks a step that began and never ended as failed, not as not-run.
            stdout = (err as { partial?: { stdout: string } }).partial?.stdout ?? "";
          }
          for (const r of parseBatchOutput(batch, stdout)) {
            if (r.status === "not-run") continue;
            const phase = phaseOf.get(r.group.stepIds[0] ?? "");
            emit({
              stage,
              status: r.status === "ok" ? "ok" : "failed",
              host: key,
              hostName: handle.hostName,
              ...(phase ? { phase } : {}),
              stepIds: r.group.stepIds,
              command: r.group.command,
              message: r.status === "ok" ? "done" : `failed (exit ${r.exitCode ?? "?"})`,
              output: r.output,
            });
            if (r.status === "failed")
              failure = `${r.group.command.split("\n")[0]}: ${r.output || failure}`;
          }
          if (failure) {
            const message = `${handle.hostName} (${runs.map((r) => r.phase).join(" + ")}): ${failure}`;
            failures.push(message);
            failed.set(key, message);
            return;
          }
          if (!wave.readBack) return;
          try {
            readBacks.set(
              key,
              parseHostReading(
                handle.role,
                stdout,
                readBackOptions(wave, opts.readThresholds ?? true),
              ),
            );
          } catch (err) {
            // Reported like a failed step, once every host of the wave is done.
            const message = `${handle.hostName} (read-back): ${(err as Error).message}`;
            failures.push(message);
            failed.set(key, message);
          }
        }),
      );
      if (failures.length > 0) {
        if (!opts.returnFailures) throw new StepFailure(failures.join("; "));
        break;
      }
    }
    return { readBacks, failed };
  }

  function verify(
    ctx: ClusterContext,
    readings: ReadonlyMap<string, HostReading>,
    assumedHosts: ReadonlyMap<string, HostState>,
    scope: "runtime" | "all",
    emit: (e: Omit<ApplyEvent, "seq" | "at">) => void,
  ) {
    const { state } = assembleState(ctx, readings, assumedHosts);
    const check = planCluster(state, ctx.desired);
    const left = check.phases
      .filter((p) => scope === "all" || p.phase !== "persist")
      .flatMap((p) => p.steps);
    if (left.length > 0) {
      const what = left
        .slice(0, 5)
        .map((s) => s.description)
        .join("; ");
      throw new StepFailure(`read-back differs from the desired state: ${what}`);
    }
    emit({
      stage: "verify",
      status: "ok",
      message:
        scope === "all"
          ? "hosts match the desired state, persisted"
          : "running state matches the desired state",
    });
  }

  /**
   * Restores every touched host to its snapshot. A host that cannot be read is left out (kept at
   * its snapshot in the rollback's view, so nothing is planned for it) rather than stopping the
   * restore of the others; the rollback runs wave by wave like an apply and stops after a failed
   * wave. The outcome names every host that is not back to its snapshot.
   */
  async function rollback(
    ctx: ClusterContext,
    snapshot: ClusterState,
    touched: ReadonlySet<string>,
    emit: (e: Omit<ApplyEvent, "seq" | "at">) => void,
  ): Promise<ApplyStatus> {
    emit({
      stage: "rollback",
      status: "running",
      message: `restoring ${touched.size} host(s) to the snapshot`,
    });
    // The VIPs of the plan being undone: one put on an interface before its service was created
    // is named by neither the snapshot nor the half-applied table.
    const options = { manageAddresses: ctx.desired.services.map((s) => s.vip) };
    const notRestored = new Map<string, string>();
    const readEach = async (keys: Iterable<string>) => {
      const readings = new Map<string, HostReading>();
      await Promise.all(
        [...keys].map(async (key) => {
          const h = hostHandle(ctx, key);
          if (!h) return;
          try {
            readings.set(key, await readHost(h.runner, h.role));
          } catch (err) {
            notRestored.set(key, `${h.hostName}: cannot be read (${(err as Error).message})`);
          }
        }),
      );
      return readings;
    };
    try {
      const readings = await readEach(touched);
      const back = planTransition(overSnapshot(snapshot, readings), snapshot, options);
      const waves = executionWaves(back).map((w) => ({ ...w, readBack: false }));
      const { failed } = await runWaves(ctx, waves, emit, new Set(), {
        stage: "rollback",
        returnFailures: true,
      });
      for (const [key, message] of failed) notRestored.set(key, message);
      const reached = [...readings.keys()].filter((k) => !failed.has(k));
      const after = await readEach(reached);
      const left = planTransition(overSnapshot(snapshot, after), snapshot, options).steps;
      for (const step of left) {
        const key = stepHostKey(step);
        if (notRestored.has(key)) continue;
        const name = hostHandle(ctx, key)?.hostName ?? key;
        notRestored.set(key, `${name}: still differs (${step.description})`);
      }
    } catch (err) {
      notRestored.set("*", (err as Error).message);
    }
    if (notRestored.size === 0) {
      emit({
        stage: "rollback",
        status: "ok",
        message: "every touched host is back to its snapshot",
      });
      return "rolled_back";
    }
    const restored = [...touched].filter((k) => !notRestored.has(k) && !notRestored.has("*"));
    const names = restored.map((k) => hostHandle(ctx, k)?.hostName ?? k);
    emit({
      stage: "rollback",
      status: "failed",
      message: `rollback incomplete: ${[...notRestored.values()].join("; ")}${
        names.length > 0 ? `; restored: ${names.join(", ")}` : ""
      }`,
    });
    return "failed";
  }

  return {
    plan,
    start,
    isRunning: (clusterId: string) => running.has(clusterId),
    /** Live events of a running apply (replayed from the start), or null once it is stored. */
    subscribe(applyId: string, onEvent: (e: ApplyEvent) => void, onEnd: () => void) {
      const channel = live.get(applyId);
      if (!channel) return null;
      for (const e of channel.events) onEvent(e);
      channel.emitter.on("event", onEvent);
      channel.emitter.once("end", onEnd);
      return () => {
        channel.emitter.off("event", onEvent);
        channel.emitter.off("end", onEnd);
      };
    },
    liveEvents(applyId: string): ApplyEvent[] | null {
      return live.get(applyId)?.events ?? null;
    },
    async get(applyId: string) {
      const row = await db.apply.findUnique({ where: { id: applyId }, include: { user: true } });
      if (!row) throw notFound("apply");
      return toApplyDto(row, live.get(applyId)?.events);
    },
    /** Steps the last successful apply left on realservers it could not reach, by host. */
    async pendingHostSteps(clusterId: string) {
      if (!(await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } }))) {
        throw notFound("cluster");
      }
      const last = await db.apply.findFirst({
        where: { clusterId, status: "succeeded" },
        orderBy: { startedAt: "desc" },
        select: { id: true, desired: true },
      });
      const pending = last ? pendingHostsOf(last.desired) : {};
      return {
        applyId: last?.id ?? null,
        hosts: Object.entries(pending)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([address, p]) => ({
            address,
            hostId: p.hostId,
            hostName: p.hostName,
            reason: p.reason,
            since: p.since,
            steps: p.steps,
          })),
      };
    },
    async history(clusterId: string, limit = 50) {
      const rows = await db.apply.findMany({
        where: { clusterId },
        orderBy: { startedAt: "desc" },
        take: limit,
        include: { user: true },
      });
      return rows.map((row) => toApplyDto(row, live.get(row.id)?.events));
    },
  };
}

export type ApplyService = ReturnType<typeof createApplyService>;

/** Says which host an error is about: the SSH layer knows only the address. */
function namingHost(err: unknown, h: HostHandle): unknown {
  if (err instanceof Error && !err.message.startsWith(`${h.hostName} `)) {
    err.message = `${h.hostName} (${h.role}): ${err.message}`;
  }
  return err;
}

/**
 * The snapshot with the hosts that were read replaced by what they are now: the rollback's view
 * of the cluster. Hosts not read (untouched, or unreachable) keep their snapshot, so the
 * rollback plans nothing for them.
 */
function overSnapshot(
  snapshot: ClusterState,
  readings: ReadonlyMap<string, HostReading>,
): ClusterState {
  const director = readings.get("director");
  const realservers: Record<string, HostState> = { ...snapshot.hosts.realservers };
  for (const [key, reading] of readings) {
    if (key.startsWith("rs:")) realservers[key.slice(3)] = reading.state;
  }
  return {
    services: director ? (director.services ?? []) : snapshot.services,
    hosts: { director: director ? director.state : snapshot.hosts.director, realservers },
  };
}

function toApplyDto(
  row: {
    id: string;
    clusterId: string;
    status: string;
    plan: string;
    log: string;
    error: string | null;
    startedAt: Date;
    finishedAt: Date | null;
    user: { username: string } | null;
  },
  liveEvents: ApplyEvent[] | undefined,
) {
  const plan = JSON.parse(row.plan) as PlanView;
  const events: ApplyEvent[] =
    row.status === "running" && liveEvents ? liveEvents : (JSON.parse(row.log) as ApplyEvent[]);
  const stepStatus = new Map<string, { status: string; output: string }>();
  for (const e of events) {
    for (const id of e.stepIds ?? []) {
      const key = `${e.stage === "rollback" ? "rollback:" : ""}${e.host}|${id}`;
      stepStatus.set(key, { status: e.status, output: e.output ?? "" });
    }
  }
  return {
    id: row.id,
    clusterId: row.clusterId,
    status: row.status as ApplyStatus,
    user: row.user?.username ?? null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    summary: plan.summary,
    hosts: plan.hosts.map((h) => ({
      key: h.key,
      hostName: h.hostName,
      role: h.role,
      steps: h.steps.map((s) => ({
        ...s,
        status:
          stepStatus.get(`${h.key}|${s.id}`)?.status ??
          (row.status === "running" ? "pending" : "not-run"),
        output: stepStatus.get(`${h.key}|${s.id}`)?.output ?? "",
      })),
    })),
    events,
  };
}
