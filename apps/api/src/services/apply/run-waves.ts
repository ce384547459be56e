// Runs waves in order, the hosts of a wave in parallel, one round trip per host per wave (see
// waves.ts), reporting each step as it ran. The read-back of a stage's last wave rides in the same
// round trip.
import type { HostKey } from "@lvs-panel/lvs";
import type { ApplyEvent, EmitApplyEvent } from "./apply-events.ts";
import { parseBatchOutput, renderHostBatchInRuns } from "./batch.ts";
import type { ClusterContext } from "./context.ts";
import { hostHandle, readBackOptions, waveScript } from "./plan-view.ts";
import { splitReadOutput } from "./read-script.ts";
import { type HostReading, parseHostReading } from "./read-state.ts";
import { type SmallChange, withTouchedServices } from "./small-change.ts";
import type { Wave } from "./waves.ts";

/** A step, a host's wave or a read-back that failed; the apply stops and rolls back. */
export class StepFailure extends Error {}

export interface RunWavesOptions {
  timeoutMs: number;
  stage?: ApplyEvent["stage"];
  /**
   * On a failed wave, return (with the failures) instead of throwing. Either way no later wave
   * runs: later phases may rely on the failed host's step (e.g. a realserver's DR settings must
   * stay while the director may still send it traffic).
   */
  returnFailures?: boolean;
  /** Whether read-backs read thresholds (see usesThresholds); as the preview said. */
  readThresholds?: boolean;
  /**
   * A small change: the director's runtime read-back lists only the services it touched, and
   * the rest of its reading is the snapshot's.
   */
  small?: { change: SmallChange; snapshot: HostReading } | undefined;
}

/** Returns the read-backs of waves that carry one, and the failures, by host key. */
export async function runWaves(
  ctx: ClusterContext,
  waves: readonly Wave[],
  emit: EmitApplyEvent,
  touched: Set<HostKey>,
  opts: RunWavesOptions,
): Promise<{ readBacks: Map<HostKey, HostReading>; failed: Map<HostKey, string> }> {
  const stage = opts.stage ?? waves[0]?.stage ?? "apply";
  const readThresholds = opts.readThresholds ?? true;
  const readBacks = new Map<HostKey, HostReading>();
  const failed = new Map<HostKey, string>();
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
          const script = waveScript(
            batch,
            handle.role,
            ctx.engine,
            wave,
            readThresholds,
            opts.small?.change,
          );
          const res = await handle.runner.run({ script }, { timeoutMs: opts.timeoutMs });
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
          const options = readBackOptions(wave, readThresholds);
          const small = wave.stage === "apply" && handle.role === "director" ? opts.small : null;
          readBacks.set(
            key,
            small
              ? withTouchedServices(small.snapshot, small.change, splitReadOutput(stdout))
              : parseHostReading(handle.role, ctx.engine, stdout, options),
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
