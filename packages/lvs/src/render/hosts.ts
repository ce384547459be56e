// Rendering one host's part of a spec. A render is the plan from a bare host to the spec (and its
// reverse is the plan back), so first-time setup and changes share one ordering logic.
import { canonicalAddress } from "../address.ts";
import type { ClusterSpec } from "../model.ts";
import type { Step } from "../plan/step.ts";
import { planCluster } from "../plan.ts";

const NOTHING: ClusterSpec = { director: null, services: [] };

function stepsFor(from: ClusterSpec, to: ClusterSpec, target: string): Step[] {
  const plan = planCluster(from, to);
  if (plan.errors.length > 0) {
    throw new Error(
      `invalid cluster: ${plan.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`,
    );
  }
  return plan.steps.filter((s) =>
    target === "director"
      ? s.host === "director"
      : typeof s.host !== "string" && s.host.realserver === target,
  );
}

/** Everything the director runs, in order, to go from a bare host to `spec`. */
export function renderDirector(spec: ClusterSpec): Step[] {
  return stepsFor({ director: spec.director, services: [] }, spec, "director");
}

/** Everything realserver `address` runs, in order, to serve its part of `spec`. */
export function renderRealserver(spec: ClusterSpec, address: string): Step[] {
  return stepsFor(NOTHING, spec, canonicalAddress(address));
}

/** The director's teardown: every service deleted, VIPs removed, settings back to defaults. */
export function renderDirectorRemoval(spec: ClusterSpec): Step[] {
  return stepsFor(spec, { director: spec.director, services: [] }, "director");
}

/** Undo `renderRealserver` on one host. */
export function renderRealserverRemoval(spec: ClusterSpec, address: string): Step[] {
  return stepsFor(spec, { director: spec.director, services: [] }, canonicalAddress(address));
}
