// After each stage the hosts are read back (in the stage's last round trip) and planned against
// the desired state again: anything left to do means the hosts do not hold what was applied.
import type { HostKey, HostState } from "@lvs-panel/lvs";
import type { EmitApplyEvent } from "./apply-events.ts";
import { assembleState, readHosts } from "./cluster-reading.ts";
import type { ClusterContext } from "./context.ts";
import type { HostReading } from "./read-state.ts";
import { StepFailure } from "./run-waves.ts";

/** How long a keepalived director may take to show what a reload or start asked for. */
const SETTLE_MS = 8000;

/** Thrown when a read-back still differs from the desired state: the verify stage failed. */
export class VerifyFailure extends StepFailure {}

export async function verify(
  ctx: ClusterContext,
  readings: ReadonlyMap<HostKey, HostReading>,
  assumedHosts: ReadonlyMap<HostKey, HostState>,
  scope: "runtime" | "all",
  emit: EmitApplyEvent,
): Promise<void> {
  const stepsLeft = (latest: ReadonlyMap<HostKey, HostReading>) => {
    const { state } = assembleState(ctx, latest, assumedHosts);
    return ctx.engine
      .plan(state, ctx.desired)
      .phases.filter((p) => scope === "all" || p.phase !== "persist")
      .flatMap((p) => p.steps);
  };
  let left = stepsLeft(readings);
  // keepalived applies a reload after the signal returns: read the director again for a while
  // before calling a difference a failure.
  const deadline = Date.now() + SETTLE_MS;
  while (left.length > 0 && ctx.engine.settles && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const directors = new Set<HostKey>(ctx.peer ? ["director", "director2"] : ["director"]);
    const again = await readHosts(ctx, { only: directors, files: "skip" });
    const latest = new Map(readings);
    for (const [key, r] of again.readings) {
      const files = readings.get(key)?.state.files ?? {};
      latest.set(key, { ...r, state: { ...r.state, files } });
    }
    left = stepsLeft(latest);
  }
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
