// planCluster: from the current state (live, or a spec assumed applied) to a desired spec, the
// minimal ordered steps per host. Phases run in order; inside a phase each host's steps run in
// order and hosts may run in parallel:
//   drain           weight 0 for realservers about to go (only with { drain: true }; the caller
//                   may wait here for connections to finish)
//   director-remove -d / -D: traffic stops before anything it relied on is dismantled
//   prepare         host additions: sysctls, then VIPs (DR: ARP settings before the VIP on lo),
//                   NAT return routes; the director's VIPs and forwarding
//   director-apply  -A / -E / -a / -e: traffic is sent only to hosts prepared above
//   cleanup         host removals: VIPs off lo, reply rules and routes, sysctls back to default
//   persist         files that make the result survive a reboot
import { addressFamily, canonicalAddress } from "./address.ts";
import type { ClusterHostStates } from "./host/desired.ts";
import { desiredHostStates } from "./host/desired.ts";
import { HostFileMemo } from "./host/file-memo.ts";
import {
  emptyHostState,
  type HostState,
  IPVSADM_DEFAULTS_FILE,
  IPVSADM_RULES_FILE,
} from "./host/state.ts";
import type { ClusterSpec, Issue, ServiceSpec } from "./model.ts";
import { normalizeServices } from "./normalize.ts";
import { type ClusterState, isClusterState, toClusterState } from "./plan/cluster-state.ts";
import { diffHost, HostStepMemo } from "./plan/host-diff.ts";
import { diffIpvs, type ForwardingSwitch } from "./plan/ipvs-diff.ts";
import { type KeptService, ownershipConflicts } from "./plan/ownership.ts";
import { directorVipChanges, planChanges } from "./plan/plan-title.ts";
import type { Step, StepHost } from "./plan/step.ts";
import { validateCluster } from "./validate.ts";

export const PLAN_PHASES = [
  "drain",
  "director-remove",
  "prepare",
  "director-apply",
  "cleanup",
  "persist",
] as const;
export type PlanPhase = (typeof PLAN_PHASES)[number];

export interface PlanSummary {
  /** Services on the director this plan leaves alone, with the cluster that owns each (null: none). */
  notManaged?: { service: string; owner: string | null }[];
  /** Foreign services this plan removes because the operator takes the director over. */
  foreignRemoved?: string[];
  servicesAdded: string[];
  servicesChanged: string[];
  servicesRemoved: string[];
  forwardingSwitches: ForwardingSwitch[];
  /** One line per fact, for the confirmation dialog. */
  lines: string[];
  /**
   * Each change to this cluster's services in an operator's words ("Drain 10.10.0.11 in TCP
   * 10.10.0.200:80"): what planTitle names the plan after. Absent on plans that only restore.
   */
  changes?: string[];
}

export interface Plan {
  phases: { phase: PlanPhase; steps: Step[] }[];
  /** All steps in execution order. */
  steps: Step[];
  /** The same steps grouped by host, each host's list in execution order. */
  hosts: { host: StepHost; steps: Step[] }[];
  summary: PlanSummary;
  warnings: Issue[];
  /** Validation errors of the desired spec; when present the plan has no steps. */
  errors: Issue[];
}

export interface PlanOptions {
  /** Set weight 0 on realservers before deleting them (and their services). */
  drain?: boolean;
  /**
   * More VIPs whose addresses the plan may add or remove, beyond those the two sides' services
   * name. A rollback passes the VIPs of the plan it undoes: an apply cut off between putting a
   * new service's VIP on an interface and creating the service leaves an address that neither
   * the snapshot nor the half-applied table names.
   */
  manageAddresses?: readonly string[];
  /**
   * The IPVS table to plan towards when it is not the spec's services: keepalived's table under
   * its health state (a quiesced realserver at weight 0). The hosts still follow the spec.
   */
  tableServices?: ServiceSpec[];
}

export function planCluster(
  current: ClusterSpec | ClusterState,
  desired: ClusterSpec,
  options: PlanOptions = {},
): Plan {
  const validation = validateCluster(desired);
  const { warnings } = validation;
  const kept = isClusterState(current) ? (current.kept ?? []) : [];
  const errors = [...validation.errors, ...ownershipConflicts(desired.services, kept)];
  if (errors.length > 0) {
    return { phases: [], steps: [], hosts: [], summary: emptySummary(), warnings, errors };
  }
  // Normalize each side once; deriving a spec's host state reuses it, and both sides share
  // rendered files (the same address script on every realserver, often the same rules file).
  const memo = new HostFileMemo();
  const desServices = normalizeServices(desired);
  const target: ClusterState = {
    services: options.tableServices ?? desired.services,
    hosts: desiredHostStates(desired, desServices, memo, kept),
  };
  const tableServices = options.tableServices
    ? normalizeServices({ services: options.tableServices })
    : desServices;
  const curServices = normalizeServices(current);
  const cur = toClusterState(current, curServices, memo);
  if (kept.length > 0) keepKeptVips(cur, target, kept);
  if (desired.engine === "keepalived" && kept.length > 0) keepBootRestore(cur, target);
  const plan = transition(cur, curServices, target, tableServices, options);
  const takenOver = cur.takenOver ?? [];
  const foreign = new Set(takenOver.map((label) => `Remove service ${label}`));
  let changes = planChanges(
    curServices,
    tableServices,
    options.tableServices ?? desired.services,
  ).filter((change) => !foreign.has(change));
  if (changes.length === 0 && plan.steps.length > 0) {
    // No service changes, yet steps: say what moves on the director when that is what it is.
    const vips = new Set([...cur.services, ...target.services].map((s) => canonicalAddress(s.vip)));
    changes = directorVipChanges(cur.hosts.director, target.hosts.director, vips);
  }
  const summary = { ...withOwnership(plan.summary, kept, takenOver), changes };
  return { ...plan, summary, warnings };
}

/**
 * A VIP that services the cluster does not own use stays on every host, on every interface, where
 * it is now: even when the cluster placed it there for a service of its own that is going, or
 * wants it elsewhere for one that changes.
 */
function keepKeptVips(cur: ClusterState, target: ClusterState, kept: readonly KeptService[]) {
  const keep = new Set(kept.flatMap((k) => (k.vip === null ? [] : [k.vip])));
  // With the address stay the settings it relies on (DR's ARP restrictions, forwarding): a
  // setting the host has on is not turned back off under it.
  const hold = (from: HostState, to: HostState, role: "director" | "realserver") => {
    const staying = from.addresses.filter((a) => keep.has(canonicalAddress(a.address)));
    if (staying.length === 0) return;
    to.addresses = [...to.addresses, ...staying];
    const defaults = emptyHostState(role).sysctls;
    for (const [key, value] of Object.entries(from.sysctls)) {
      if (value !== defaults[key] && to.sysctls[key] === defaults[key]) to.sysctls[key] = value;
    }
  };
  if (cur.hosts.director && target.hosts.director) {
    hold(cur.hosts.director, target.hosts.director, "director");
  }
  for (const [address, state] of Object.entries(cur.hosts.realservers)) {
    let to = target.hosts.realservers[address];
    if (!to) {
      to = emptyHostState("realserver");
      target.hosts.realservers[address] = to;
    }
    hold(state, to, "realserver");
  }
}

/** The director's boot-time restore files as they are (keepalived beside services it does not own). */
function keepBootRestore(cur: ClusterState, target: ClusterState): void {
  const from = cur.hosts.director?.files ?? {};
  const to = target.hosts.director?.files;
  if (!to) return;
  for (const path of [IPVSADM_RULES_FILE, IPVSADM_DEFAULTS_FILE]) {
    const content = from[path];
    if (content === undefined) delete to[path];
    else to[path] = content;
  }
}

/** The summary with what the plan leaves alone, and the foreign services it takes over. */
export function withOwnership(
  summary: PlanSummary,
  kept: readonly KeptService[],
  takenOver: readonly string[],
): PlanSummary {
  if (kept.length === 0 && takenOver.length === 0) return summary;
  const notManaged = kept.map((k) => ({ service: k.label, owner: k.owner }));
  const foreign = notManaged.filter((k) => k.owner === null).length;
  const lines = [...summary.lines];
  if (takenOver.length > 0) {
    lines.unshift(
      `remove ${takenOver.length} ${takenOver.length === 1 ? "service" : "services"} this cluster does not manage: ${takenOver.join(", ")}`,
    );
  }
  if (foreign > 0) {
    lines.push(
      `not managed by this cluster: ${foreign} ${foreign === 1 ? "service" : "services"} (left alone)`,
    );
  }
  const owners = [...new Set(notManaged.flatMap((k) => (k.owner === null ? [] : [k.owner])))];
  for (const owner of owners) {
    const n = notManaged.filter((k) => k.owner === owner).length;
    lines.push(
      `cluster "${owner}" manages ${n} more ${n === 1 ? "service" : "services"} on this director (left alone)`,
    );
  }
  return { ...summary, notManaged, foreignRemoved: [...takenOver], lines };
}

/**
 * The steps from one live state to another, both as read from hosts. The rollback of a failed
 * apply uses it to bring the hosts it touched back to the snapshot taken before the apply.
 */
export function planTransition(
  current: ClusterState,
  target: ClusterState,
  options: PlanOptions = {},
): Plan {
  return transition(
    current,
    normalizeServices(current),
    target,
    normalizeServices(target),
    options,
  );
}

function transition(
  cur: ClusterState,
  curServices: ServiceSpec[],
  target: ClusterState,
  desServices: ServiceSpec[],
  options: PlanOptions,
): Plan {
  const ipvs = diffIpvs(curServices, desServices, options.drain ?? false);

  const vipCandidates = new Set<string>();
  for (const s of [...cur.services, ...target.services]) vipCandidates.add(canonicalAddress(s.vip));
  for (const vip of options.manageAddresses ?? []) vipCandidates.add(canonicalAddress(vip));

  const hosts = diffHosts(cur.hosts, target.hosts, vipCandidates);

  const phases: Plan["phases"] = [
    { phase: "drain", steps: ipvs.drain },
    { phase: "director-remove", steps: ipvs.remove },
    { phase: "prepare", steps: hosts.prepare },
    { phase: "director-apply", steps: ipvs.apply },
    { phase: "cleanup", steps: hosts.cleanup },
    { phase: "persist", steps: hosts.persist },
  ];
  const steps = phases.flatMap((p) => p.steps);
  const summary: PlanSummary = {
    servicesAdded: ipvs.added,
    servicesChanged: ipvs.changed,
    servicesRemoved: ipvs.removed,
    forwardingSwitches: ipvs.switches,
    lines: [
      ...ipvs.added.map((s) => `add service ${s}`),
      ...ipvs.changed.map((s) => `change service ${s}`),
      ...ipvs.removed.map((s) => `remove service ${s}`),
      ...ipvs.switches.map(
        (w) =>
          `switch ${w.realserver === "*" ? w.service : `${w.realserver} in ${w.service}`} from ${w.from} to ${w.to}`,
      ),
    ],
  };
  if (steps.length > 0 && summary.lines.length === 0) {
    summary.lines.push("bring host settings in line with the cluster (no IPVS change)");
  }
  return {
    phases: phases.filter((p) => p.steps.length > 0),
    steps,
    hosts: stepsByHost(steps),
    summary,
    warnings: [],
    errors: [],
  };
}

/** The steps grouped by host, each host's list in execution order (Plan["hosts"]). */
export function stepsByHost(steps: readonly Step[]): Plan["hosts"] {
  const byHost = new Map<string, { host: StepHost; steps: Step[] }>();
  for (const s of steps) {
    const key = typeof s.host === "string" ? s.host : s.host.realserver;
    let entry = byHost.get(key);
    if (!entry) {
      entry = { host: s.host, steps: [] };
      byHost.set(key, entry);
    }
    entry.steps.push(s);
  }
  return [...byHost.values()];
}

/** A summary of no change. */
export function emptySummary(): PlanSummary {
  return {
    servicesAdded: [],
    servicesChanged: [],
    servicesRemoved: [],
    forwardingSwitches: [],
    lines: [],
  };
}

function diffHosts(
  current: ClusterHostStates,
  desired: ClusterHostStates,
  vipCandidates: ReadonlySet<string>,
) {
  const prepare: Step[] = [];
  const cleanup: Step[] = [];
  const persist: Step[] = [];
  const memo = new HostStepMemo();
  const add = (host: StepHost, cur: HostState, des: HostState) => {
    const d = diffHost(host, cur, des, vipCandidates, memo);
    for (const s of d.prepare) prepare.push(s);
    for (const s of d.cleanup) cleanup.push(s);
    for (const s of d.persist) persist.push(s);
  };
  if (current.director || desired.director) {
    add(
      "director",
      current.director ?? emptyHostState("director"),
      desired.director ?? emptyHostState("director"),
    );
  }
  const addresses = new Set([
    ...Object.keys(current.realservers),
    ...Object.keys(desired.realservers),
  ]);
  for (const address of addresses) {
    if (addressFamily(address) === null) continue;
    add(
      { realserver: address },
      current.realservers[address] ?? emptyHostState("realserver"),
      desired.realservers[address] ?? emptyHostState("realserver"),
    );
  }
  return { prepare, cleanup, persist };
}
