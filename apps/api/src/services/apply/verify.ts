// After each stage the hosts are read back (in the stage's last round trip) and planned against
// the desired state again: anything left to do means the hosts do not hold what was applied.
import type { HostKey, HostState } from "@lvs-panel/lvs";
import type { EmitApplyEvent } from "./apply-events.ts";
import { assembleState } from "./cluster-reading.ts";
import type { ClusterContext } from "./context.ts";
import type { HostReading } from "./read-state.ts";
import { StepFailure } from "./run-waves.ts";

/** Thrown when a read-back still differs from the desired state: the verify stage failed. */
export class VerifyFailure extends StepFailure {}

export function verify(
  ctx: ClusterContext,
  readings: ReadonlyMap<HostKey, HostReading>,
  assumedHosts: ReadonlyMap<HostKey, HostState>,
  scope: "runtime" | "all",
  emit: EmitApplyEvent,
): void {
  const { state } = assembleState(ctx, readings, assumedHosts);
  const check = ctx.engine.plan(state, ctx.desired);
  const left = check.phases
    .filter((p) => scope === "all" || p.phase !== "persist")
    .flatMap((p) => p.steps);
  if (left.length > 0) {
    const what = left
      .slice(0, 5)
      .map((s) => s.description)
      .join("; ");
    throw new VerifyFailure(`read-back differs from the desired state: ${what}`);
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
