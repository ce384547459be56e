// Canonical form of services, so two specs that program the kernel identically compare equal
// (flag order, address spelling, default netmask, disabled-as-weight-0, absent threshold as 0).
import { addressFamily, canonicalAddress } from "./address.ts";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "./model.ts";
import { effectiveWeight, realserverForwarding } from "./model.ts";

/** Full masks mean "no netmask"; ipvsadm -Ln omits them and so does the canonical form. */
function canonicalNetmask(s: ServiceSpec): string | null {
  if (s.persistence == null || s.persistenceNetmask == null) return null;
  const mask = s.persistenceNetmask.trim();
  if (mask === "255.255.255.255" || (addressFamily(s.vip) === 6 && mask === "128")) return null;
  return mask;
}

export function normalizeRealserver(service: ServiceSpec, rs: RealServerSpec): RealServerSpec {
  return {
    address: canonicalAddress(rs.address),
    port: rs.port,
    weight: effectiveWeight(rs),
    enabled: true,
    upperThreshold: rs.upperThreshold ?? 0,
    lowerThreshold: rs.lowerThreshold ?? 0,
    forwarding: realserverForwarding(service, rs),
  };
}

export function normalizeService(s: ServiceSpec): ServiceSpec {
  const realservers = s.realservers.map((rs) => normalizeRealserver(s, rs));
  const fwmark = s.fwmark != null;
  const out: ServiceSpec = {
    protocol: fwmark ? "tcp" : s.protocol,
    // The kernel knows a mark service only by mark and family; which VIP it covers is not in it.
    vip: fwmark ? (addressFamily(s.vip) === 6 ? "::" : "0.0.0.0") : canonicalAddress(s.vip),
    port: fwmark ? 0 : s.port,
    scheduler: s.scheduler,
    schedulerFlags: [...new Set(s.schedulerFlags ?? [])].sort(),
    persistence: s.persistence ?? null,
    persistenceNetmask: canonicalNetmask(s),
    // The kernel has no service-level method; each realserver carries its own (set above).
    forwarding: realservers[0]?.forwarding ?? "dr",
    realservers,
  };
  if (fwmark) out.fwmark = s.fwmark as number;
  return out;
}

/** The IPVS-table part of a cluster in canonical form (what `ipvsadm -Ln` would show). */
export function normalizeServices(spec: Pick<ClusterSpec, "services">): ServiceSpec[] {
  return spec.services.map(normalizeService);
}
