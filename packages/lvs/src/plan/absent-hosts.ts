// A realserver the panel cannot reach blocks only the changes that need it. Its steps in
// `prepare` (its side of a service: ARP settings, the VIP on lo, the NAT return route) must run
// before the director sends it traffic, so a plan that has any cannot go ahead. Its `cleanup`
// and `persist` steps only tidy up after the director has stopped sending it anything: they can
// wait until the host is back. Draining, disabling or reweighting it changes nothing on it at all.
import type { Plan, PlanPhase } from "../plan.ts";
import type { Step } from "./step.ts";

const DEFERRABLE_PHASES: ReadonlySet<PlanPhase> = new Set(["cleanup", "persist"]);

export interface PhasedStep {
  phase: PlanPhase;
  step: Step;
}

export interface AbsentHostSteps {
  /** Steps the plan cannot do without: the plan must not run while the host is away. */
  needed: PhasedStep[];
  /** Steps that can wait for the host's return. */
  deferred: PhasedStep[];
}

/** The plan's steps on one realserver (by canonical address), split by whether they can wait. */
export function stepsOnAbsentHost(plan: Pick<Plan, "phases">, realserver: string): AbsentHostSteps {
  const result: AbsentHostSteps = { needed: [], deferred: [] };
  for (const { phase, steps } of plan.phases) {
    for (const step of steps) {
      if (typeof step.host === "string" || step.host.realserver !== realserver) continue;
      (DEFERRABLE_PHASES.has(phase) ? result.deferred : result.needed).push({ phase, step });
    }
  }
  return result;
}
