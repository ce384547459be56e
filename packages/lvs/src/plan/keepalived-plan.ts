// Planning for a director whose IPVS table keepalived owns. The hosts' side (VIPs, ARP settings,
// return routes, files) is planned exactly as for the ipvsadm engine; the table is keepalived's:
//   - keepalived not running yet (a switch from ipvsadm, or a new cluster): ipvsadm first makes
//     the table exactly what keepalived will build, then keepalived starts over it. It adopts the
//     identical entries, so no connection is dropped;
//   - keepalived running and its configuration changes: one checked reload, no ipvsadm;
//   - keepalived running with the same configuration: only drift is corrected, with ipvsadm
//     (keepalived never repairs the kernel behind its back, §6.3 of shared/docs/keepalived.md).
// The table is judged under the health state: a realserver keepalived quiesced (weight 0) or
// removed after failed checks is what the configuration asks for, not drift.
import { canonicalAddress } from "../address.ts";
import { DEFAULT_FAILURE_ACTION, effectiveHealthCheck } from "../health-check.ts";
import { type ClusterSpec, effectiveWeight, type ServiceSpec } from "../model.ts";
import { normalizeServices } from "../normalize.ts";
import {
  emptySummary,
  PLAN_PHASES,
  type Plan,
  type PlanOptions,
  planCluster,
  planTransition,
  stepsByHost,
} from "../plan.ts";
import {
  DRAIN_WAIT_CAP_SECONDS,
  type DrainingEndpoint,
  describeDrainWait,
  renderDrainWait,
} from "../render/drain-wait.ts";
import { keepalivedServices, renderKeepalivedConf } from "../render/keepalived-conf.ts";
import { renderKeepalivedLoad, renderKeepalivedStop } from "../render/keepalived-load.ts";
import { serviceKey } from "../validate.ts";
import type { ClusterState, KeepalivedStatus } from "./cluster-state.ts";
import { isVrrpPlan, planPair, restorePair } from "./pair-plan.ts";
import type { Step } from "./step.ts";

/** The kernel's sync daemons outlive keepalived (its stop or a reload without them): seen on the lab. */
const STOP_SYNC_DAEMONS =
  "ipvsadm --stop-daemon master 2>/dev/null; ipvsadm --stop-daemon backup 2>/dev/null; true";

const NOT_READ: KeepalivedStatus = { pid: null, conf: null, foreignConf: false };

export function planKeepalived(
  current: ClusterState,
  desired: ClusterSpec,
  options: PlanOptions = {},
): Plan {
  if (isVrrpPlan(current, desired)) {
    return planPair(current, desired, options, planOneDirector, withKeepalivedStopped);
  }
  if (current.keepalived?.conf?.includes("\nvrrp_instance ")) {
    return leavingVrrp(current, desired, options);
  }
  return planOneDirector(current, desired, options);
}

/**
 * One director leaving VRRP (ha removed): keepalived drops the addresses of the instance it no
 * longer has at the reload, so the VIPs go back on with `ip` right after it (cleanup phase), not
 * before, where the reload would take them off again.
 */
function leavingVrrp(current: ClusterState, desired: ClusterSpec, options: PlanOptions): Plan {
  const vips = new Set(current.services.map((s) => canonicalAddress(s.vip)));
  const director = current.hosts.director;
  const stripped: ClusterState = director
    ? {
        ...current,
        hosts: {
          ...current.hosts,
          director: {
            ...director,
            addresses: director.addresses.filter((a) => !vips.has(canonicalAddress(a.address))),
          },
        },
      }
    : current;
  const plan = planOneDirector(stripped, desired, options);
  const late = (s: Step) =>
    s.host === "director" && s.op.kind === "address" && s.op.action === "add";
  const moved = plan.phases.flatMap((p) => (p.phase === "prepare" ? p.steps.filter(late) : []));
  if (moved.length === 0) return plan;
  const phases = plan.phases
    .map((p) => ({
      ...p,
      steps: p.phase === "prepare" ? p.steps.filter((s) => !late(s)) : p.steps,
    }))
    .filter((p) => p.steps.length > 0);
  const cleanup = phases.find((p) => p.phase === "cleanup");
  if (cleanup) cleanup.steps.unshift(...moved);
  else {
    const at = phases.findIndex((p) => p.phase === "persist");
    phases.splice(at < 0 ? phases.length : at, 0, { phase: "cleanup", steps: moved });
  }
  const steps = phases.flatMap((p) => p.steps);
  return { ...plan, phases, steps, hosts: stepsByHost(steps) };
}

/** One director's steps (of a pair: `desired.director` is the one planned). */
function planOneDirector(current: ClusterState, desired: ClusterSpec, options: PlanOptions): Plan {
  const status = current.keepalived ?? NOT_READ;
  const spec: ClusterSpec = { ...desired, engine: "keepalived" };
  if (status.foreignConf) {
    return refused(
      "KEEPALIVED_FOREIGN_CONFIG",
      "the director's /etc/keepalived/keepalived.conf was not written by the panel: the panel never overwrites it. Move it aside (or merge it into this cluster) and plan again",
    );
  }
  const config = renderKeepalivedConf(spec);
  const running = status.pid !== null;
  const configChanged = !running || !sameConfig(status.conf, config);
  const table = running
    ? underHealthState(keepalivedServices(spec).services, current.services)
    : keepalivedServices(spec).services;
  const base = planCluster(current, spec, { ...options, tableServices: table });
  if (base.errors.length > 0) return base;
  if (!configChanged) return base;

  const load: Step = {
    id: "director:keepalived:load",
    host: "director",
    description: running
      ? "Check the new keepalived.conf with keepalived -t, then reload keepalived (SIGHUP: same process, untouched services keep their connections)"
      : "Check keepalived.conf with keepalived -t, then start keepalived over the table as it is",
    script: renderKeepalivedLoad(config),
    op: { kind: "keepalived", action: running ? "reload" : "start", config },
  };
  // Running: the reload makes every table change; ipvsadm would only race it. Starting:
  // ipvsadm's edits come first (same phase, before the load), so keepalived finds its table.
  const line = running ? "reload keepalived with the new configuration" : "start keepalived";
  const loaded = withDirectorStep(base, load, running, line);
  // keepalived starts IPVS's sync daemon for lvs_sync_daemon but a reload without it leaves the
  // kernel's daemon running (seen on the lab: connections kept syncing): stopped explicitly.
  const syncStops =
    running && status.conf?.includes("lvs_sync_daemon") && !config.includes("lvs_sync_daemon");
  const planned = syncStops
    ? withDirectorStep(
        loaded,
        {
          id: "director:ipvs:sync:stop",
          host: "director",
          description: "Stop IPVS connection sync (master and backup daemons)",
          script: STOP_SYNC_DAEMONS,
          op: { kind: "wait" },
        },
        false,
        "stop connection sync",
      )
    : loaded;
  const leaving = running && options.drain ? leavingEndpoints(current.services, table) : [];
  if (leaving.length === 0) return planned;
  // A drained removal: weight 0 through a reload, a wait for their connections, then the reload
  // that removes them (keepalived deletes a server missing from the config, connections and all).
  const drainSpec: ClusterSpec = { ...spec, services: withLeavingAtZero(spec.services, leaving) };
  const drainConfig = renderKeepalivedConf(drainSpec);
  const drain: Step = {
    id: "director:keepalived:drain",
    host: "director",
    description: "Reload keepalived with the leaving realservers at weight 0 (no new connections)",
    script: renderKeepalivedLoad(drainConfig),
    op: { kind: "keepalived", action: "reload", config: drainConfig },
  };
  const wait: Step = {
    id: "director:drain:wait",
    host: "director",
    description: describeDrainWait(leaving),
    script: renderDrainWait(leaving),
    op: { kind: "wait" },
  };
  const drained = withDirectorStep(
    planned,
    drain,
    true,
    "drain the leaving realservers first",
    "drain",
  );
  return withDirectorStep(
    drained,
    wait,
    true,
    `wait for their connections (at most ${DRAIN_WAIT_CAP_SECONDS} s)`,
    "drain",
  );
}

/** Realservers with weight in the live table that the desired table no longer has. */
function leavingEndpoints(live: ServiceSpec[], desired: ServiceSpec[]): Leaving[] {
  const want = new Map(normalizeServices({ services: desired }).map((s) => [serviceKey(s), s]));
  const out: Leaving[] = [];
  for (const s of normalizeServices({ services: live })) {
    const kept = want.get(serviceKey(s));
    for (const rs of s.realservers) {
      if (rs.weight === 0) continue;
      const stays = kept?.realservers.some(
        (d) => canonicalAddress(d.address) === canonicalAddress(rs.address) && d.port === rs.port,
      );
      if (!stays) out.push({ service: s, address: rs.address, port: rs.port });
    }
  }
  return out;
}

/** The services with every leaving realserver (or whole service) put back at weight 0. */
function withLeavingAtZero(services: ServiceSpec[], leaving: Leaving[]): ServiceSpec[] {
  const out = services.map((s) => ({ ...s, realservers: [...s.realservers] }));
  for (const e of leaving) {
    const key = serviceKey(e.service);
    let s = out.find((x) => serviceKey(x) === key);
    if (!s) {
      // A service going away whole: as the table describes it, its realservers added below.
      s = { ...e.service, realservers: [] };
      out.push(s);
    }
    s.realservers.push({ address: e.address, port: e.port, weight: 0, enabled: true });
  }
  return out;
}

/** A realserver leaving, with its service as the live table has it. */
type Leaving = DrainingEndpoint & { service: ServiceSpec };

/**
 * Back to a snapshot on a keepalived director: the hosts as they were, and keepalived with the
 * configuration it had (reloaded). A snapshot from before keepalived ran (a switch that failed)
 * stops keepalived; started by the panel with --dont-release-ipvs, it leaves the table, which
 * ipvsadm then takes back to the snapshot's.
 */
export function restoreKeepalived(
  current: ClusterState,
  snapshot: ClusterState,
  options: PlanOptions = {},
): Plan {
  if (current.peer || snapshot.peer) {
    return restorePair(current, snapshot, options, restoreOneDirector);
  }
  return restoreOneDirector(current, snapshot, options);
}

function restoreOneDirector(
  current: ClusterState,
  snapshot: ClusterState,
  options: PlanOptions,
): Plan {
  const now = current.keepalived ?? NOT_READ;
  const before = snapshot.keepalived ?? NOT_READ;
  const base = planTransition(current, snapshot, options);
  if (before.conf === null || before.pid === null) return withKeepalivedStopped(current, base);
  if (now.pid !== null && sameConfig(now.conf, before.conf)) return base;
  const load: Step = {
    id: "director:keepalived:load",
    host: "director",
    description: "Put back the previous keepalived.conf and reload keepalived",
    script: renderKeepalivedLoad(before.conf),
    op: { kind: "keepalived", action: now.pid !== null ? "reload" : "start", config: before.conf },
  };
  return withDirectorStep(base, load, now.pid !== null, "reload keepalived");
}

/**
 * `plan` (the ipvsadm engine's) with the panel's keepalived stopped first, when it runs on the
 * director: a cluster switched back to ipvsadm, or a failed switch rolled back. Only a keepalived
 * running the panel's configuration is stopped; the operator's own is never touched.
 */
export function withKeepalivedStopped(current: ClusterState, plan: Plan): Plan {
  const now = current.keepalived ?? NOT_READ;
  if (now.pid === null || now.conf === null || plan.errors.length > 0) return plan;
  const syncing = now.conf.includes("lvs_sync_daemon");
  const stop: Step = {
    id: "director:keepalived:stop",
    host: "director",
    description: syncing
      ? "Stop the panel's keepalived and its connection sync: ipvsadm owns the table again"
      : "Stop the panel's keepalived: ipvsadm owns the table again",
    script: syncing ? `${renderKeepalivedStop()}\n${STOP_SYNC_DAEMONS}` : renderKeepalivedStop(),
    op: { kind: "keepalived", action: "stop" },
  };
  return withDirectorStep(plan, stop, false, "stop keepalived", "director-remove");
}

/** `base` with `step` added to a phase of the director's (ipvsadm steps dropped if asked). */
function withDirectorStep(
  base: Plan,
  step: Step,
  dropIpvsadm: boolean,
  line: string,
  phase: "drain" | "director-apply" | "director-remove" = "director-apply",
): Plan {
  const keep = (s: Step) => !dropIpvsadm || s.op.kind !== "ipvsadm";
  const phases = base.phases.map((p) => ({ ...p, steps: p.steps.filter(keep) }));
  const existing = phases.find((p) => p.phase === phase);
  if (existing) {
    if (phase === "director-remove") existing.steps.unshift(step);
    else existing.steps.push(step);
  } else {
    const at = phases.findIndex((p) => PLAN_PHASES.indexOf(p.phase) > PLAN_PHASES.indexOf(phase));
    const entry = { phase, steps: [step] };
    if (at < 0) phases.push(entry);
    else phases.splice(at, 0, entry);
  }
  const nonEmpty = phases.filter((p) => p.steps.length > 0);
  const steps = nonEmpty.flatMap((p) => p.steps);
  return {
    ...base,
    phases: nonEmpty,
    steps,
    hosts: stepsByHost(steps),
    summary: { ...base.summary, lines: [...base.summary.lines, line] },
  };
}

/** keepalived.conf as read back may have lost its final newline to the read. */
function sameConfig(live: string | null, rendered: string): boolean {
  return live !== null && live.trimEnd() === rendered.trimEnd();
}

function refused(code: string, message: string): Plan {
  const errors = [{ code, field: "engine", message }];
  return { phases: [], steps: [], hosts: [], summary: emptySummary(), warnings: [], errors };
}

/**
 * The table keepalived should hold, given what its checkers decided: a checked realserver that
 * the live table shows at weight 0 (quiesce) or without (remove) is down, and stays so; a sorry
 * server keepalived put in while every realserver is down is expected too.
 */
export function underHealthState(desired: ServiceSpec[], live: ServiceSpec[]): ServiceSpec[] {
  const liveByKey = new Map(normalizeServices({ services: live }).map((s) => [serviceKey(s), s]));
  return desired.map((s) => {
    const check = effectiveHealthCheck(s);
    const onFailure = s.onFailure ?? DEFAULT_FAILURE_ACTION;
    const seen = liveByKey.get(serviceKey(s));
    if (!seen || check.type === "none") return s;
    const endpoint = (address: string, port: number) => `${canonicalAddress(address)}|${port}`;
    const liveRs = new Map(seen.realservers.map((rs) => [endpoint(rs.address, rs.port), rs]));
    const realservers = s.realservers.flatMap((rs) => {
      const now = liveRs.get(endpoint(rs.address, rs.port));
      if (effectiveWeight(rs) === 0) return [rs];
      if (onFailure === "remove" && !now) return [];
      if (onFailure === "quiesce" && now && now.weight === 0) return [{ ...rs, weight: 0 }];
      return [rs];
    });
    const sorry = s.sorryServer;
    if (sorry) {
      const inTable = liveRs.get(endpoint(sorry.address, sorry.port));
      if (inTable) realservers.push(inTable);
    }
    return { ...s, realservers };
  });
}
