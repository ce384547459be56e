// Planning for a cluster with `ha` (director failover through keepalived's VRRP): each director is
// planned on its own, as the keepalived engine plans one director, from its own reading and with
// its own keepalived.conf (director and peer swapped for the second); the second director's steps
// are then named "director2" and merged phase by phase. The realservers are planned once.
//   - Both candidate configurations are checked (`keepalived -t`) in the prepare phase, before
//     either director's is replaced, so a refusal on one leaves both as they were.
//   - The VIPs and the floating gateway are VRRP's: read on whichever director is master, they
//     are neither added nor removed with `ip` (vrrpAddresses), on either director.
//   - A second director that leaves the cluster has its keepalived stopped first (it hands the
//     addresses over at once, with a priority-0 advert), then its services removed.
import { canonicalAddress } from "../address.ts";
import type { HostState } from "../host/state.ts";
import type { ClusterSpec } from "../model.ts";
import {
  PLAN_PHASES,
  type Plan,
  type PlanOptions,
  type PlanPhase,
  planCluster,
  stepsByHost,
} from "../plan.ts";
import { renderKeepalivedCheck } from "../render/keepalived-load.ts";
import type { ClusterState, PeerState } from "./cluster-state.ts";
import type { Step } from "./step.ts";

type DirectorPlanner = (current: ClusterState, desired: ClusterSpec, options: PlanOptions) => Plan;

/** Whether a plan from `current` to `desired` involves VRRP (a pair, or one with `ha`). */
export function isVrrpPlan(current: ClusterState, desired: ClusterSpec): boolean {
  return Boolean(desired.ha || desired.peer || current.peer);
}

export function planPair(
  current: ClusterState,
  desired: ClusterSpec,
  options: PlanOptions,
  planOne: DirectorPlanner,
  stopKeepalived: (current: ClusterState, plan: Plan) => Plan,
): Plan {
  const vips = vrrpManaged(current, desired);
  const planned = planOne(withoutPeer(current, vips), desired, options);
  if (planned.errors.length > 0) return planned;
  const first = gatewayRoutesLate(planned, desired);
  const peer = current.peer;
  let second: Plan | null = null;
  if (desired.peer && desired.director) {
    const swapped: ClusterSpec = { ...desired, director: desired.peer, peer: desired.director };
    second = planOne(peerAsDirector(current, peer, vips), swapped, options);
    if (second.errors.length > 0) {
      return { ...second, errors: second.errors.map((e) => ({ ...e, field: `peer.${e.field}` })) };
    }
  } else if (peer) {
    const leaving = peerAsDirector(current, peer, vips);
    second = stopKeepalived(leaving, planCluster(leaving, { director: null, services: [] }));
  }
  const merged = merge(first, second);
  return unicastRecreated(current, desired)
    ? {
        ...merged,
        warnings: [
          ...merged.warnings,
          {
            code: "VRRP_INSTANCE_RECREATED",
            field: "ha.unicast",
            message:
              "with unicast adverts, adding or removing the second director changes the first director's VRRP instance (its unicast peers), which keepalived recreates: about 3 adverts plus skew with no director holding the VIPs. Multicast adverts avoid this; otherwise apply it in a quiet moment",
          },
        ],
      }
    : merged;
}

/** Whether the first director's unicast peering starts or stops (keepalived's instance key). */
function unicastRecreated(current: ClusterState, desired: ClusterSpec): boolean {
  const conf = current.keepalived?.conf;
  if (!conf || current.keepalived?.pid == null || !conf.includes("\nvrrp_instance ")) return false;
  const before = conf.includes("unicast_peer {");
  const after = Boolean(desired.ha?.unicast && desired.peer);
  return before !== after;
}

/** Back to a snapshot: each director to its own, as the engine restores one director. */
export function restorePair(
  current: ClusterState,
  snapshot: ClusterState,
  options: PlanOptions,
  restoreOne: (current: ClusterState, snapshot: ClusterState, options: PlanOptions) => Plan,
): Plan {
  const vips = new Set([
    ...vrrpManaged(current, { director: null, services: snapshot.services }),
    ...(options.manageAddresses ?? []).map(canonicalAddress),
  ]);
  const first = restoreOne(withoutPeer(current, vips), withoutPeer(snapshot, vips), options);
  const second =
    current.peer && snapshot.peer
      ? restoreOne(
          peerAsDirector(current, current.peer, vips),
          peerAsDirector(snapshot, snapshot.peer, vips),
          options,
        )
      : null;
  return merge(first, second);
}

/**
 * The realservers' NAT return route to the floating gateway goes in after the directors' loads
 * (first thing in cleanup), not in prepare: the gateway exists only once keepalived holds it, and
 * until then the route they have (via the DIP) still carries the replies.
 */
function gatewayRoutesLate(plan: Plan, desired: ClusterSpec): Plan {
  const gateway = desired.ha?.floatingGateway;
  if (!gateway) return plan;
  const via = canonicalAddress(gateway);
  const late = (s: Step) =>
    typeof s.host !== "string" &&
    s.op.kind === "route" &&
    s.op.action === "add" &&
    canonicalAddress(s.op.route.via) === via;
  const moved = plan.phases.flatMap((p) => (p.phase === "prepare" ? p.steps.filter(late) : []));
  if (moved.length === 0) return plan;
  const byPhase = new Map<PlanPhase, Step[]>(plan.phases.map((p) => [p.phase, [...p.steps]]));
  byPhase.set(
    "prepare",
    (byPhase.get("prepare") ?? []).filter((s) => !late(s)),
  );
  byPhase.set("cleanup", [...moved, ...(byPhase.get("cleanup") ?? [])]);
  const phases = PLAN_PHASES.flatMap((phase) => {
    const steps = byPhase.get(phase) ?? [];
    return steps.length > 0 ? [{ phase, steps }] : [];
  });
  const steps = phases.flatMap((p) => p.steps);
  return { ...plan, phases, steps, hosts: stepsByHost(steps) };
}

/** Addresses VRRP owns on a pair's directors: every VIP either side names, and the gateways. */
function vrrpManaged(current: ClusterState, desired: ClusterSpec): Set<string> {
  const out = new Set<string>();
  for (const s of [...current.services, ...desired.services]) out.add(canonicalAddress(s.vip));
  for (const s of current.peer?.services ?? []) out.add(canonicalAddress(s.vip));
  if (desired.ha?.floatingGateway) out.add(canonicalAddress(desired.ha.floatingGateway));
  return out;
}

function withoutVrrpAddresses(host: HostState, vips: ReadonlySet<string>): HostState {
  return {
    ...host,
    addresses: host.addresses.filter((a) => !vips.has(canonicalAddress(a.address))),
  };
}

function withoutPeer(state: ClusterState, vips: ReadonlySet<string>): ClusterState {
  const { peer: _peer, ...rest } = state;
  const director = state.hosts.director;
  return {
    ...rest,
    hosts: {
      ...state.hosts,
      director: director ? withoutVrrpAddresses(director, vips) : null,
    },
  };
}

/** The second director as the one director of a state (the realservers as they are). */
function peerAsDirector(
  state: ClusterState,
  peer: PeerState | undefined,
  vips: ReadonlySet<string>,
): ClusterState {
  const host = peer?.host;
  return {
    services: peer?.services ?? [],
    hosts: {
      director: host ? withoutVrrpAddresses(host, vips) : null,
      realservers: state.hosts.realservers,
    },
    ...(peer?.keepalived ? { keepalived: peer.keepalived } : {}),
    ...(peer?.kept ? { kept: peer.kept } : {}),
  };
}

/** The first director's plan with the second's director steps, as "director2", per phase. */
function merge(first: Plan, second: Plan | null): Plan {
  if (!second) return first;
  const moved = second.steps.filter((s) => s.host === "director").map(asSecondDirector);
  if (moved.length === 0) return first;
  const byPhase = new Map<PlanPhase, Step[]>();
  for (const p of first.phases) byPhase.set(p.phase, [...p.steps]);
  for (const p of second.phases) {
    const steps = p.steps.filter((s) => s.host === "director").map(asSecondDirector);
    if (steps.length === 0) continue;
    byPhase.set(p.phase, [...(byPhase.get(p.phase) ?? []), ...steps]);
  }
  // Both candidates checked before either director's configuration is replaced.
  const loads = [...byPhase.values()].flat().filter(isKeepalivedLoad);
  if (loads.length === 2) {
    const checks = loads.map(checkStep);
    byPhase.set("prepare", [...checks, ...(byPhase.get("prepare") ?? [])]);
  }
  const phases = PLAN_PHASES.flatMap((phase) => {
    const steps = byPhase.get(phase) ?? [];
    return steps.length > 0 ? [{ phase, steps }] : [];
  });
  const steps = phases.flatMap((p) => p.steps);
  return {
    ...first,
    phases,
    steps,
    hosts: stepsByHost(steps),
    summary: {
      ...first.summary,
      lines: [
        ...first.summary.lines,
        ...second.summary.lines
          .filter((l) => !first.summary.lines.includes(l))
          .map((l) => `second director: ${l}`),
      ],
    },
    warnings: [...first.warnings],
  };
}

function asSecondDirector(step: Step): Step {
  return { ...step, host: "director2", id: `director2:${step.id.replace(/^director:/, "")}` };
}

function isKeepalivedLoad(step: Step): boolean {
  return step.op.kind === "keepalived" && step.op.action !== "stop" && step.id.endsWith(":load");
}

function checkStep(load: Step): Step {
  const config = load.op.kind === "keepalived" && "config" in load.op ? load.op.config : "";
  const host = load.host === "director2" ? "director2" : "director";
  return {
    id: `${host}:keepalived:check`,
    host,
    description:
      "Check the new keepalived.conf with keepalived -t (both directors are checked before either is replaced)",
    script: renderKeepalivedCheck(config),
    op: { kind: "wait" },
  };
}
