// Realservers the panel cannot reach. A dead realserver must not block the change that takes it
// out: draining, disabling, reweighting or removing it only touches the director. So the plan is
// made around it (stepsOnAbsentHost): steps that can wait are left pending on it and run on the
// next apply that reaches it; a change that needs it is refused, naming it.

import type { UnreachableHostView, UnreachableStepView } from "@lvs-panel/contract";
import {
  argvToShell,
  type ClusterState,
  desiredHostStates,
  emptyHostState,
  type HostKey,
  type PhasedStep,
  type Plan,
  type PlanOptions,
  stepsOnAbsentHost,
} from "@lvs-panel/lvs";
import { RemoteError } from "@lvs-panel/remote";
import type { ClusterContext, HostHandle, PendingHost } from "./context.ts";

/** Failures that mean "the host cannot be reached now", as opposed to a host that misbehaves. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  "SSH_CONNECT_TIMEOUT",
  "SSH_HOST_UNREACHABLE",
  "SSH_CONNECTION_LOST",
  "SSH_AUTH_FAILED",
  "SSH_HOST_KEY_MISMATCH",
  "SSH_HOST_KEY_NOT_TRUSTED",
]);

export function isUnreachable(err: unknown): err is RemoteError {
  return err instanceof RemoteError && UNREACHABLE_CODES.has(err.code);
}

export interface UnreachableHost {
  handle: HostHandle & { address: string };
  error: RemoteError;
}

function stepView({ phase, step }: PhasedStep): UnreachableStepView {
  return {
    id: step.id,
    phase,
    description: step.description,
    command: step.script ?? argvToShell(step.argv ?? []),
  };
}

/**
 * The plan with the unreachable realservers taken as they are believed to be (`believed`): what
 * is due on each is split into what waits and what is needed, and the plan that runs is made as
 * if each already held its desired state, so it has no step on any of them. `assumed` is that
 * state: the one the apply verifies against.
 */
export function planAroundUnreachable(
  ctx: Pick<ClusterContext, "desired" | "pendingHosts" | "engine">,
  believed: ClusterState,
  unreachable: ReadonlyMap<HostKey, UnreachableHost>,
  options: PlanOptions,
): { plan: Plan; assumed: ClusterState; hosts: UnreachableHostView[] } {
  const first = ctx.engine.plan(believed, ctx.desired, options);
  if (unreachable.size === 0 || first.errors.length > 0) {
    return { plan: first, assumed: believed, hosts: [] };
  }
  const desiredHosts = desiredHostStates(ctx.desired).realservers;
  const realservers = { ...believed.hosts.realservers };
  const hosts: UnreachableHostView[] = [];
  for (const [key, { handle, error }] of [...unreachable].sort(([a], [b]) => a.localeCompare(b))) {
    const { needed, deferred } = stepsOnAbsentHost(first, handle.address);
    realservers[handle.address] = desiredHosts[handle.address] ?? emptyHostState("realserver");
    hosts.push({
      key,
      hostId: handle.hostId,
      hostName: handle.hostName,
      address: handle.address,
      reason: error.message,
      code: error.code,
      pending: deferred.map(stepView),
      needed: needed.map(stepView),
      pendingSince: ctx.pendingHosts[handle.address]?.since ?? null,
    });
  }
  const assumed: ClusterState = { ...believed, hosts: { ...believed.hosts, realservers } };
  return { plan: ctx.engine.plan(assumed, ctx.desired, options), assumed, hosts };
}

/** What a successful apply records as pending: the steps it left on hosts it could not reach. */
export function pendingHostsAfter(
  hosts: readonly UnreachableHostView[],
  believed: ClusterState,
  now: Date,
): Record<string, PendingHost> {
  const pending: Record<string, PendingHost> = {};
  for (const h of hosts) {
    const state = believed.hosts.realservers[h.address];
    if (h.pending.length === 0 || !state) continue;
    pending[h.address] = {
      hostId: h.hostId,
      hostName: h.hostName,
      reason: h.reason,
      since: h.pendingSince ?? now.toISOString(),
      believed: state,
      steps: h.pending.map(({ phase, description, command }) => ({ phase, description, command })),
    };
  }
  return pending;
}

/** One sentence per unreachable host, for the plan's warnings. */
export function unreachableWarning(h: UnreachableHostView): string {
  const waiting =
    h.pending.length === 0
      ? "nothing in this change needs it"
      : `${h.pending.length} step(s) due on it (${h.pending
          .slice(0, 3)
          .map((s) => s.description)
          .join(
            "; ",
          )}${h.pending.length > 3 ? "; …" : ""}) stay pending and run on the next apply that reaches it`;
  return `${h.hostName} (${h.address}) cannot be reached: ${h.reason}. ${waiting[0]?.toUpperCase()}${waiting.slice(1)}.`;
}

/** Why a change cannot go ahead without the host. */
export function unreachableRefusal(h: UnreachableHostView): string {
  const what = h.needed
    .slice(0, 3)
    .map((s) => s.description)
    .join("; ");
  return `${h.hostName} (${h.address}) cannot be reached (${h.reason}), and this change needs it: ${what}${h.needed.length > 3 ? "; …" : ""}. Bring it back, or take it out of the change.`;
}
