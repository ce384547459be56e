// Pure simulation of a plan: what the cluster looks like after every step ran. IPVS steps are
// replayed from their real argv through the same reader as ipvsadm-save files, so a wrongly
// rendered command shows up as a wrong resulting state.
import type { Forwarding } from "../fields.ts";
import { addressKey, emptyHostState, type HostState, routeKey, ruleKey } from "../host/state.ts";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "../model.ts";
import { parseIpvsadmArgs } from "../parse/ipvsadm-args.ts";
import type { ListedForwarding } from "../parse/list.ts";
import type { Plan } from "../plan.ts";
import { type ClusterState, toClusterState } from "./cluster-state.ts";
import { normalizedServiceKey } from "./ipvs-diff.ts";
import type { Step } from "./step.ts";

/** ipvsadm's methods as the model's; "local" is the kernel's own verdict, never rendered. */
const FORWARDING: Record<ListedForwarding, Forwarding> = {
  nat: "nat",
  dr: "dr",
  tunnel: "tun",
  local: "dr",
};

function clone<T>(x: T): T {
  return structuredClone(x);
}

export function applyPlanToState(current: ClusterSpec | ClusterState, plan: Plan): ClusterState {
  const state = clone(toClusterState(current));
  for (const step of plan.steps) applyStep(state, step);
  return state;
}

function applyStep(state: ClusterState, step: Step): void {
  if (step.op.kind === "ipvsadm") {
    if (typeof step.host !== "string" || !step.argv) {
      throw new Error(`${step.id}: bad ipvsadm step`);
    }
    if (step.host === "director2") {
      if (!state.peer) throw new Error(`${step.id}: no second director`);
      const peer: ClusterState = {
        services: state.peer.services,
        hosts: { director: null, realservers: {} },
      };
      applyIpvsadm(peer, step.argv);
      state.peer.services = peer.services;
      return;
    }
    applyIpvsadm(state, step.argv);
    return;
  }
  if (step.op.kind === "wait") return;
  if (step.op.kind === "keepalived") {
    // keepalived's own table-building is not simulated: only what it was given to run.
    const before = step.host === "director2" ? state.peer?.keepalived : state.keepalived;
    const after =
      step.op.action === "stop"
        ? { pid: null, conf: before?.conf ?? null, foreignConf: false }
        : { pid: before?.pid ?? 1, conf: step.op.config, foreignConf: false };
    if (step.host === "director2" && state.peer) state.peer.keepalived = after;
    else state.keepalived = after;
    return;
  }
  let host: HostState;
  if (step.host === "director") {
    state.hosts.director ??= emptyHostState("director");
    host = state.hosts.director;
  } else if (step.host === "director2") {
    state.peer ??= { services: [], host: emptyHostState("director") };
    host = state.peer.host;
  } else {
    const a = step.host.realserver;
    state.hosts.realservers[a] ??= emptyHostState("realserver");
    host = state.hosts.realservers[a] as HostState;
  }
  const op = step.op;
  switch (op.kind) {
    case "sysctl":
      host.sysctls[op.key] = op.value;
      return;
    case "address":
      host.addresses = host.addresses.filter((a) => addressKey(a) !== addressKey(op.address));
      if (op.action === "add") host.addresses.push(op.address);
      return;
    case "rule":
      host.rules = host.rules.filter((r) => ruleKey(r) !== ruleKey(op.rule));
      if (op.action === "add") host.rules.push(op.rule);
      return;
    case "route":
      // An add is `ip route replace default … table T`: it replaces that table's default route.
      host.routes = host.routes.filter((r) =>
        op.action === "add"
          ? !(r.family === op.route.family && r.table === op.route.table)
          : routeKey(r) !== routeKey(op.route),
      );
      if (op.action === "add") host.routes.push(op.route);
      return;
    case "file":
      if (op.action === "write") host.files[op.path] = op.content;
      else delete host.files[op.path];
      return;
  }
}

function applyIpvsadm(state: ClusterState, argv: string[]): void {
  if (argv[0] !== "ipvsadm") throw new Error(`not an ipvsadm command: ${argv.join(" ")}`);
  const cmd = parseIpvsadmArgs(argv.slice(1));
  if (typeof cmd === "string") throw new Error(`${argv.join(" ")}: ${cmd}`);
  const ref = cmd.service;
  if (!ref) throw new Error("no service");
  const probe: ServiceSpec = {
    protocol: ref.protocol === "fwm" ? "tcp" : ref.protocol,
    vip: ref.address ?? (ref.family === 6 ? "::" : "0.0.0.0"),
    port: ref.port ?? 0,
    scheduler: "wlc",
    forwarding: "dr",
    realservers: [],
    ...(ref.fwmark !== undefined ? { fwmark: ref.fwmark } : {}),
  };
  const key = normalizedServiceKey(probe);
  const index = state.services.findIndex((s) => normalizedServiceKey(s) === key);
  const svc = state.services[index];
  // Like the kernel: adding what exists or touching what does not is an error.
  const need = (ok: unknown, what: string) => {
    if (!ok) throw new Error(`${argv.join(" ")}: ${what}`);
  };
  switch (cmd.kind) {
    case "add-service":
    case "edit-service": {
      need(
        cmd.kind === "add-service" ? !svc : svc,
        cmd.kind === "add-service" ? "service exists" : "no such service",
      );
      const next: ServiceSpec = {
        ...(svc ?? probe),
        scheduler: (cmd.scheduler ?? "wlc") as ServiceSpec["scheduler"],
        schedulerFlags: cmd.schedulerFlags ?? [],
        persistence: cmd.persistence ?? null,
        persistenceNetmask: cmd.persistenceNetmask ?? null,
      };
      if (svc) state.services[index] = next;
      else state.services.push(next);
      return;
    }
    case "delete-service":
      need(svc, "no such service");
      state.services.splice(index, 1);
      return;
    default:
      break;
  }
  need(svc, "no such service");
  const s = svc as ServiceSpec;
  const server = cmd.server as { address: string; port: number };
  const j = s.realservers.findIndex((r) => r.address === server.address && r.port === server.port);
  if (cmd.kind === "delete-server") {
    need(j >= 0, "no such realserver");
    s.realservers.splice(j, 1);
    return;
  }
  need(cmd.kind === "add-server" ? j < 0 : j >= 0, "realserver exists / missing");
  const rs: RealServerSpec = {
    address: server.address,
    port: server.port,
    weight: cmd.weight ?? 1,
    enabled: true,
    forwarding: FORWARDING[cmd.forwarding ?? "dr"],
    upperThreshold: cmd.upperThreshold ?? 0,
    lowerThreshold: cmd.lowerThreshold ?? 0,
  };
  if (j >= 0) s.realservers[j] = rs;
  else s.realservers.push(rs);
  if (s.realservers.length === 1 || j === 0) s.forwarding = rs.forwarding ?? "dr";
}
