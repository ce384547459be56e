// The director's IPVS table: diff two normalized service lists into ipvsadm commands. Edits in
// place (-E for scheduler/persistence/flags, -e for weight/thresholds/forwarding) keep
// established connections; only a changed protocol/VIP/port (a different key) is delete + add.
import type { Forwarding } from "../fields.ts";
import { liveServiceKey } from "../live-service-key.ts";
import type { RealServerSpec, ServiceSpec } from "../model.ts";
import { type Endpoint, EndpointMemo } from "../render/endpoints.ts";
import { commandStart, ipvsadmArgv, serverCommand, serviceArgs } from "../render/ipvsadm.ts";
import type { Step } from "./step.ts";

export interface ForwardingSwitch {
  service: string;
  realserver: string;
  from: string;
  to: string;
}

export interface IpvsDiff {
  drain: Step[];
  remove: Step[];
  apply: Step[];
  added: string[];
  removed: string[];
  changed: string[];
  switches: ForwardingSwitch[];
}

/** Key of a normalized service (canonical VIP, mark services with the family's any-address). */
export function normalizedServiceKey(s: ServiceSpec): string {
  return s.fwmark != null
    ? `fwm|${s.fwmark}|${s.vip.includes(":") ? 6 : 4}`
    : `${s.protocol}|${s.vip}|${s.port}`;
}

/** The live view's key, with the family of a mark service (a plan may hold one of each). */
export function serviceLabel(s: ServiceSpec): string {
  const key = liveServiceKey(s);
  return s.fwmark != null && s.vip.includes(":") ? `${key} IPv6` : key;
}

const FORWARDING_NAME = { nat: "NAT", dr: "DR", tun: "TUN" } as const satisfies Record<
  Forwarding,
  string
>;

function sameServiceAttributes(a: ServiceSpec, b: ServiceSpec): boolean {
  return (
    a.scheduler === b.scheduler &&
    (a.schedulerFlags ?? []).join(",") === (b.schedulerFlags ?? []).join(",") &&
    (a.persistence ?? null) === (b.persistence ?? null) &&
    (a.persistenceNetmask ?? null) === (b.persistenceNetmask ?? null)
  );
}

function sameServer(a: RealServerSpec, b: RealServerSpec): boolean {
  return (
    a.weight === b.weight &&
    a.forwarding === b.forwarding &&
    (a.upperThreshold ?? 0) === (b.upperThreshold ?? 0) &&
    (a.lowerThreshold ?? 0) === (b.lowerThreshold ?? 0)
  );
}

// One op object for every ipvsadm step: tens of thousands of steps need no copy each, and the
// object is frozen so no consumer can change it for all of them.
const IPVSADM_OP: Step["op"] = Object.freeze({ kind: "ipvsadm" }) as Step["op"];

function step(id: string, description: string, argv: string[]): Step {
  return { id, host: "director", description, argv, op: IPVSADM_OP };
}

/**
 * @param endpoints shares endpoint strings across services (and with the caller, if given).
 */
export function diffIpvs(
  current: readonly ServiceSpec[],
  desired: readonly ServiceSpec[],
  drain: boolean,
  endpoints = new EndpointMemo(),
): IpvsDiff {
  const out: IpvsDiff = {
    drain: [],
    remove: [],
    apply: [],
    added: [],
    removed: [],
    changed: [],
    switches: [],
  };
  const currentByKey = new Map(current.map((s) => [normalizedServiceKey(s), s]));
  const desiredKeys = new Set(desired.map(normalizedServiceKey));
  const removeServers: Step[] = [];
  const removeServices: Step[] = [];
  const addServices: Step[] = [];
  const editServices: Step[] = [];
  const addServers: Step[] = [];
  const editServers: Step[] = [];

  // Ids are `director:ipvs:<op>:<service key>|<address>|<port>`; the part before the realserver
  // is built once per service, the realserver's part of descriptions once per plan: a plan from
  // scratch keeps 20,000 of these strings, and each piece joined per step is one more object.
  const phrases = new Map<Endpoint, { add: string; change: string }>();
  const phrase = (ep: Endpoint) => {
    let p = phrases.get(ep);
    if (!p) {
      p = { add: `Add realserver ${ep.text}`, change: `Change realserver ${ep.text}` };
      phrases.set(ep, p);
    }
    return p;
  };
  // Same endpoints at the same positions, none twice (with a duplicate, matching by key would
  // pair differently). Marks instead of a set: no allocation for each of 1,000 services.
  let pass = 0;
  const sameEndpoints = (a: readonly RealServerSpec[], b: readonly RealServerSpec[]) => {
    if (a.length !== b.length) return false;
    pass++;
    for (let i = 0; i < b.length; i++) {
      const x = a[i] as RealServerSpec;
      const y = b[i] as RealServerSpec;
      const e = endpoints.get(y.address, y.port);
      if (e.mark === pass || e !== endpoints.get(x.address, x.port)) return false;
      e.mark = pass;
    }
    return true;
  };
  const weightSuffixes: Record<Forwarding, Map<number, string>> = {
    nat: new Map(),
    dr: new Map(),
    tun: new Map(),
  };
  const weightSuffix = (fwd: Forwarding, weight: number) => {
    let text = weightSuffixes[fwd].get(weight);
    if (text === undefined) {
      text = `${FORWARDING_NAME[fwd]}, weight ${weight})`;
      weightSuffixes[fwd].set(weight, text);
    }
    return text;
  };
  const drainServer = (s: ServiceSpec, rs: RealServerSpec, key: string, svc: string[]) => {
    if (!drain || rs.weight === 0) return;
    const ep = endpoints.get(rs.address, rs.port);
    out.drain.push(
      step(
        `director:ipvs:drain:${key}|${ep.key}`,
        `Drain ${ep.text} of ${serviceLabel(s)} (weight 0) before removal`,
        serverCommand("-e", svc, s, rs, ep.text, 0),
      ),
    );
  };

  for (const cur of current) {
    const key = normalizedServiceKey(cur);
    if (desiredKeys.has(key)) continue;
    out.removed.push(serviceLabel(cur));
    const svc = serviceArgs(cur);
    for (const rs of cur.realservers) drainServer(cur, rs, key, svc);
    removeServices.push(
      step(
        `director:ipvs:-D:${key}`,
        `Delete service ${serviceLabel(cur)}`,
        ipvsadmArgv.deleteService(cur),
      ),
    );
  }

  for (const des of desired) {
    const key = normalizedServiceKey(des);
    const label = serviceLabel(des);
    const svc = serviceArgs(des);
    const cur = currentByKey.get(key);
    if (!cur) {
      out.added.push(label);
      addServices.push(
        step(
          `director:ipvs:-A:${key}`,
          `Add service ${label} (${des.scheduler})`,
          ipvsadmArgv.addService(des),
        ),
      );
      const idPrefix = `director:ipvs:-a:${key}|`;
      const toLabel = ` to ${label} (`;
      for (const rs of des.realservers) {
        const ep = endpoints.get(rs.address, rs.port);
        addServers.push(
          step(
            idPrefix + ep.key,
            phrase(ep).add + toLabel + weightSuffix(rs.forwarding ?? des.forwarding, rs.weight),
            serverCommand("-a", svc, des, rs, ep.text),
          ),
        );
      }
      continue;
    }
    let changed = false;
    if (!sameServiceAttributes(cur, des)) {
      changed = true;
      editServices.push(
        step(
          `director:ipvs:-E:${key}`,
          `Change service ${label} (scheduler/persistence/flags)`,
          ipvsadmArgv.editService(des),
        ),
      );
    }
    if (cur.forwarding !== des.forwarding && cur.realservers.length && des.realservers.length) {
      out.switches.push({
        service: label,
        realserver: "*",
        from: FORWARDING_NAME[cur.forwarding],
        to: FORWARDING_NAME[des.forwarding],
      });
    }
    const editPrefix = `director:ipvs:-e:${key}|`;
    const ofLabel = ` of ${label}`;
    // Matched by position when both sides list the same realservers in the same order (the
    // usual case), which gives what matching by key gives without a map and set per service.
    const positional = sameEndpoints(cur.realservers, des.realservers);
    let curServers: Map<string, RealServerSpec> | null = null;
    let desServers: Set<string> | null = null;
    if (!positional) {
      curServers = new Map();
      for (const rs of cur.realservers) curServers.set(endpoints.get(rs.address, rs.port).key, rs);
      desServers = new Set();
    }
    for (let i = 0; i < des.realservers.length; i++) {
      const rs = des.realservers[i] as RealServerSpec;
      const ep = endpoints.get(rs.address, rs.port);
      const rk = ep.key;
      desServers?.add(rk);
      const old = curServers ? curServers.get(rk) : cur.realservers[i];
      if (!old) {
        changed = true;
        addServers.push(
          step(
            `director:ipvs:-a:${key}|${rk}`,
            `Add realserver ${ep.text} to ${label}`,
            serverCommand("-a", svc, des, rs, ep.text),
          ),
        );
      } else if (!sameServer(old, rs)) {
        changed = true;
        if (old.forwarding !== rs.forwarding) {
          out.switches.push({
            service: label,
            realserver: ep.text,
            from: FORWARDING_NAME[old.forwarding ?? cur.forwarding],
            to: FORWARDING_NAME[rs.forwarding ?? des.forwarding],
          });
        }
        editServers.push(
          step(
            editPrefix + rk,
            phrase(ep).change + ofLabel,
            serverCommand("-e", svc, des, rs, ep.text),
          ),
        );
      }
    }
    for (const [rk, rs] of curServers ?? []) {
      if (desServers?.has(rk)) continue;
      changed = true;
      drainServer(cur, rs, key, svc);
      const argv = commandStart("-d", svc);
      argv.push("-r", endpoints.get(rs.address, rs.port).text);
      removeServers.push(
        step(
          `director:ipvs:-d:${key}|${rk}`,
          `Remove realserver ${endpoints.get(rs.address, rs.port).text} from ${label}`,
          argv,
        ),
      );
    }
    if (changed) out.changed.push(label);
  }
  out.remove = [...removeServers, ...removeServices];
  out.apply = [...addServices, ...editServices, ...addServers, ...editServers];
  return out;
}
