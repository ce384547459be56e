// Why an apply does not start: a change that needs a host it cannot reach, an invalid desired
// state, or a plan that is no longer the one the operator previewed.
import { conflict, DomainError, hostFailure } from "../errors.ts";
import type { planFromReadings } from "./cluster-reading.ts";
import type { PlanView } from "./plan-view.ts";
import { unreachableRefusal } from "./unreachable.ts";

export type Planned = ReturnType<typeof planFromReadings>;

/** An apply goes ahead only on the plan previewed, valid, and needing no unreachable host. */
export function refuseUnlessRunnable(
  planned: Planned,
  view: PlanView,
  opts: { planHash?: string | undefined },
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
