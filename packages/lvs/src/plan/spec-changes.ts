// What changed between the state a cluster was last applied with and its desired state, in the
// words an operator uses ("Drain 10.10.0.11 in TCP 10.10.0.200:80"): the cluster page's pending
// changes. From the two specs alone: nothing is read from a host.
import { canonicalAddress, formatEndpoint } from "../address.ts";
import { effectiveHealthCheck } from "../health-check.ts";
import { liveServiceKey } from "../live-service-key.ts";
import type { ClusterSpec, DirectorSpec, RealServerSpec, ServiceSpec } from "../model.ts";
import { serviceKey } from "../validate.ts";

const METHOD = { nat: "NAT", dr: "DR", tun: "TUN" } as const;

export function specChanges(applied: ClusterSpec | null, desired: ClusterSpec): string[] {
  const before: ClusterSpec = applied ?? { director: null, services: [] };
  const out: string[] = [];
  const engine = (s: ClusterSpec) => s.engine ?? "ipvsadm";
  if (engine(before) !== engine(desired)) {
    out.push(`Switch the engine from ${engine(before)} to ${engine(desired)}`);
  }
  directorChange("director", before.director, desired.director, out);
  directorChange("second director", before.peer ?? null, desired.peer ?? null, out);
  if (JSON.stringify(before.ha ?? null) !== JSON.stringify(desired.ha ?? null)) {
    out.push(
      !desired.ha
        ? "Turn director failover (VRRP) off"
        : !before.ha
          ? `Turn director failover on (VRRP router ${desired.ha.virtualRouterId})`
          : "Change the failover settings",
    );
  }
  const old = new Map(before.services.map((s) => [serviceKey(s), s]));
  const now = new Map(desired.services.map((s) => [serviceKey(s), s]));
  for (const [key, s] of now) {
    const was = old.get(key);
    if (!was) out.push(`Add service ${liveServiceKey(s)} (${s.realservers.length} realservers)`);
    else serviceChanges(was, s, out);
  }
  for (const [key, s] of old) {
    if (!now.has(key)) out.push(`Remove service ${liveServiceKey(s)}`);
  }
  return out;
}

function directorChange(
  what: string,
  a: DirectorSpec | null,
  b: DirectorSpec | null,
  out: string[],
): void {
  const text = (d: DirectorSpec) =>
    `${d.dip} on ${d.interface}${d.vipInterface && d.vipInterface !== d.interface ? ` (VIPs on ${d.vipInterface})` : ""}`;
  if (!a && b) out.push(`Set the ${what}: ${text(b)}`);
  else if (a && !b) out.push(`Remove the ${what}`);
  else if (a && b && text(a) !== text(b)) out.push(`Move the ${what} to ${text(b)}`);
  else if (a && b && (a.priority ?? null) !== (b.priority ?? null)) {
    out.push(`Set the ${what}'s VRRP priority to ${b.priority}`);
  }
}

function serviceChanges(was: ServiceSpec, s: ServiceSpec, out: string[]): void {
  const name = liveServiceKey(s);
  if (was.forwarding !== s.forwarding) {
    out.push(`Switch ${name} from ${METHOD[was.forwarding]} to ${METHOD[s.forwarding]}`);
  }
  if (was.scheduler !== s.scheduler) {
    out.push(`Change the scheduler of ${name} from ${was.scheduler} to ${s.scheduler}`);
  }
  if (
    (was.persistence ?? null) !== (s.persistence ?? null) ||
    (was.persistenceNetmask ?? null) !== (s.persistenceNetmask ?? null) ||
    (was.schedulerFlags ?? []).join(",") !== (s.schedulerFlags ?? []).join(",")
  ) {
    out.push(`Change the persistence or scheduler flags of ${name}`);
  }
  const check = (x: ServiceSpec) =>
    JSON.stringify([effectiveHealthCheck(x), x.onFailure ?? null, x.sorryServer ?? null]);
  if ((was.healthCheck || s.healthCheck) && check(was) !== check(s)) {
    out.push(`Change the health check of ${name}`);
  }
  const key = (rs: RealServerSpec) => `${canonicalAddress(rs.address)}|${rs.port}`;
  const old = new Map(was.realservers.map((rs) => [key(rs), rs]));
  const now = new Map(s.realservers.map((rs) => [key(rs), rs]));
  for (const [k, rs] of now) {
    const at = formatEndpoint(rs.address, rs.port);
    const prev = old.get(k);
    if (!prev) {
      out.push(`Add ${at} to ${name}`);
      continue;
    }
    const w0 = prev.enabled ? prev.weight : 0;
    const w1 = rs.enabled ? rs.weight : 0;
    if (prev.enabled && !rs.enabled) out.push(`Disable ${at} in ${name}`);
    else if (!prev.enabled && rs.enabled) out.push(`Enable ${at} in ${name}`);
    else if (w0 > 0 && w1 === 0) out.push(`Drain ${at} in ${name}`);
    else if (w0 === 0 && w1 > 0) out.push(`Undrain ${at} in ${name} (weight ${w1})`);
    else if (w0 !== w1) out.push(`Set the weight of ${at} in ${name} to ${w1}`);
    if (
      (prev.upperThreshold ?? 0) !== (rs.upperThreshold ?? 0) ||
      (prev.lowerThreshold ?? 0) !== (rs.lowerThreshold ?? 0)
    ) {
      out.push(`Change the connection limits of ${at} in ${name}`);
    }
  }
  for (const [k, rs] of old) {
    if (!now.has(k)) out.push(`Remove ${formatEndpoint(rs.address, rs.port)} from ${name}`);
  }
}
