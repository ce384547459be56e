// One apply on the hosts, after the snapshot was read and the plan made: report the preflight,
// run the runtime waves, verify, persist, verify again; on any failure restore every touched
// host to its snapshot. No database here: apply-service records what this returns.
import {
  type ClusterState,
  desiredHostStates,
  type HostKey,
  type HostState,
  type Plan,
  realserverOfKey,
  stepHostKey,
} from "@lvs-panel/lvs";
import type { ApplyStage, ApplyStatus, EmitApplyEvent } from "./apply-events.ts";
import { namingHost, readHosts } from "./cluster-reading.ts";
import type { ClusterContext } from "./context.ts";
import { hostHandle } from "./plan-view.ts";
import { filesFromHashes, type HostReading } from "./read-state.ts";
import { rollback } from "./rollback.ts";
import { runWaves, StepFailure } from "./run-waves.ts";
import type { SmallChange } from "./small-change.ts";
import { VerifyFailure, verify } from "./verify.ts";
import { executionWaves } from "./waves.ts";

export interface ApplyRun {
  /** The snapshot: every host as read, unreachable realservers as assumed. */
  state: ClusterState;
  readings: ReadonlyMap<HostKey, HostReading>;
  /** Unreachable realservers and the state the plan takes them to hold. */
  assumedHosts: ReadonlyMap<HostKey, HostState>;
  plan: Plan;
  /** Whether read-backs read thresholds (see usesThresholds), as the preview said. */
  readThresholds: boolean;
  /** The plan is a small change: read back only what it touched (small-change.ts). */
  small?: SmallChange | null;
  /** What the snapshot event says, when the snapshot is not a fresh read of every host. */
  snapshotNote?: string;
}

export interface ApplyResult {
  status: Exclude<ApplyStatus, "running" | "interrupted">;
  error: string | null;
}

export async function runApply(
  ctx: ClusterContext,
  run: ApplyRun,
  emit: EmitApplyEvent,
  opts: { timeoutMs: number },
): Promise<ApplyResult> {
  const { readings: snapshotReadings, assumedHosts, readThresholds } = run;
  const touched = new Set<HostKey>();
  let stage: ApplyStage = "preflight";
  try {
    reportPreflight(ctx, run.plan, snapshotReadings, emit);
    emit({
      stage: "snapshot",
      status: "ok",
      message: run.snapshotNote ?? "current state of every host recorded",
    });
    stage = "apply";
    const waves = executionWaves(run.plan);
    const wavesOpts = { readThresholds, timeoutMs: opts.timeoutMs };
    const directorSnapshot = snapshotReadings.get("director");
    const small =
      run.small && directorSnapshot ? { change: run.small, snapshot: directorSnapshot } : undefined;
    // The latest reading of every host: read-backs replace entries as the stages finish.
    const readings = new Map<HostKey, HostReading>();
    const runtime = await runWaves(
      ctx,
      waves.filter((w) => w.stage === "apply"),
      emit,
      touched,
      { ...wavesOpts, small },
    );
    for (const [key, r] of runtime.readBacks) {
      // The runtime read-back skips the persisted files, which only the persist stage changes.
      const files = snapshotReadings.get(key)?.state.files ?? {};
      readings.set(key, { ...r, state: { ...r.state, files } });
    }
    const unread = new Set(
      [ctx.director, ...(ctx.peer ? [ctx.peer] : []), ...ctx.realservers.values()]
        .map((h) => h.key)
        .filter((k) => !readings.has(k) && !assumedHosts.has(k)),
    );
    if (small) {
      // Hosts a small change has no step on are as the snapshot found them.
      for (const key of unread) {
        const before = snapshotReadings.get(key);
        if (before) readings.set(key, before);
      }
    } else if (unread.size > 0) {
      const again = await readHosts(ctx, { only: unread });
      for (const [key, r] of again.readings) readings.set(key, r);
      const lost = [...again.unreachable.values()][0];
      if (lost) throw namingHost(lost.error, lost.handle);
    }
    stage = "verify";
    await verify(ctx, readings, assumedHosts, "runtime", emit);
    stage = "persist";
    const persisted = await runWaves(
      ctx,
      waves.filter((w) => w.stage === "persist"),
      emit,
      touched,
      wavesOpts,
    );
    const desiredHosts = desiredHostStates(ctx.desired, undefined, null, run.state.kept ?? []);
    for (const [key, r] of persisted.readBacks) {
      // Persisting writes files only: the runtime read-back still holds the rest. The files
      // were read back as sums, judged against what each host should hold.
      const before = readings.get(key);
      const address = realserverOfKey(key);
      const want =
        (key === "director2"
          ? peerDesiredHost(ctx)
          : address === null
            ? desiredHosts.director
            : desiredHosts.realservers[address]
        )?.files ?? {};
      const files = filesFromHashes(r.fileHashes ?? {}, want);
      if (before) readings.set(key, { ...before, state: { ...before.state, files } });
    }
    stage = "verify";
    await verify(ctx, readings, assumedHosts, "all", emit);
    return { status: "succeeded", error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const failedStage = err instanceof VerifyFailure ? "verify" : stage;
    emit({ stage: failedStage, status: "failed", message: error, outcome: "failed" });
    const status =
      touched.size > 0
        ? await rollback(ctx, run.state, touched, emit, {
            timeoutMs: opts.timeoutMs,
            tableAndFilesOnly: Boolean(run.small),
          })
        : "failed";
    return { status, error };
  }
}

/** What a pair's second director should hold: the spec with director and peer swapped. */
function peerDesiredHost(ctx: ClusterContext): HostState | null {
  const { desired } = ctx;
  if (!desired.peer) return null;
  return desiredHostStates({ ...desired, director: desired.peer, peer: desired.director }).director;
}

/** The preflight ran as the first part of the snapshot read; report it per host in the plan. */
function reportPreflight(
  ctx: ClusterContext,
  plan: Plan,
  readings: ReadonlyMap<HostKey, HostReading>,
  emit: EmitApplyEvent,
): void {
  const keys = new Set<HostKey>(["director", ...plan.steps.map(stepHostKey)]);
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
