// The rules for director failover (ClusterSpec.ha and .peer): what keepalived's VRRP needs, and
// what keeps a pair's traffic flowing through a failover (shared/docs/keepalived.md §4, §6).
import { addressFamily, canonicalAddress, inSubnet } from "./address.ts";
import {
  type ClusterSpec,
  DEFAULT_DIP_PREFIX,
  type DirectorSpec,
  type HaSpec,
  type Issue,
  realserverForwarding,
} from "./model.ts";

interface Sink {
  error(code: string, field: string, message: string): void;
}

/** The limits of the VRRP settings, shared by the API schema and these checks. */
export const HA_LIMITS = {
  virtualRouterId: { min: 1, max: 255 },
  advertIntervalSeconds: { min: 1, max: 255 },
  priority: { min: 1, max: 254 },
} as const;

export function validateHa(spec: ClusterSpec, c: Sink): void {
  const { ha, peer, director } = spec;
  if (peer && !ha) {
    c.error(
      "PEER_NEEDS_HA",
      "ha",
      "a second director needs the failover settings (VRRP): set ha, with a virtual router id",
    );
    return;
  }
  if (!ha) return;
  if (spec.engine !== "keepalived") {
    c.error(
      "HA_NEEDS_KEEPALIVED",
      "engine",
      "director failover runs on keepalived's VRRP: switch the cluster's engine to keepalived first",
    );
  }
  rangeCheck(ha, c);
  if (director) priorityCheck(director, "directors[0].priority", c);
  if (peer) priorityCheck(peer, "directors[1].priority", c);
  if (director && peer) pairCheck(director, peer, c);
  gatewayCheck(spec, ha, c);
}

function rangeCheck(ha: HaSpec, c: Sink): void {
  for (const key of ["virtualRouterId", "advertIntervalSeconds"] as const) {
    const { min, max } = HA_LIMITS[key];
    const v = ha[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      c.error("INVALID_HA", `ha.${key}`, `must be a whole number from ${min} to ${max}`);
    }
  }
}

function priorityCheck(d: DirectorSpec, field: string, c: Sink): void {
  const { min, max } = HA_LIMITS.priority;
  const p = d.priority;
  if (p === undefined) return;
  if (!Number.isInteger(p) || p < min || p > max) {
    // 255 means "address owner" to VRRP: that director would never give the VIPs up.
    c.error("INVALID_PRIORITY", field, `must be a whole number from ${min} to ${max}`);
  }
}

function pairCheck(a: DirectorSpec, b: DirectorSpec, c: Sink): void {
  if (canonicalAddress(a.dip) === canonicalAddress(b.dip)) {
    c.error("SAME_DIP", "directors[1].dip", "the two directors need different DIPs");
  }
  if (addressFamily(a.dip) !== addressFamily(b.dip)) {
    c.error(
      "DIP_FAMILY",
      "directors[1].dip",
      "the two directors' DIPs must be of the same family (VRRP runs on one segment)",
    );
  } else if (!inSubnet(b.dip, a.dip, a.dipPrefix ?? DEFAULT_DIP_PREFIX)) {
    c.error(
      "PEER_SUBNET",
      "directors[1].dip",
      `must be on the first director's segment (${a.dip}/${a.dipPrefix ?? DEFAULT_DIP_PREFIX}): VRRP adverts and the connection sync stay on one link`,
    );
  }
  if ((a.priority ?? 100) === (b.priority ?? 100)) {
    c.error(
      "SAME_PRIORITY",
      "directors[1].priority",
      "give the two directors different priorities: the higher one is the preferred master",
    );
  }
}

function gatewayCheck(spec: ClusterSpec, ha: HaSpec, c: Sink): void {
  const nat = spec.services.some((s) =>
    s.realservers.some((rs) => realserverForwarding(s, rs) === "nat"),
  );
  const gateway = ha.floatingGateway ?? null;
  if (!gateway) {
    if (nat && spec.peer) {
      c.error(
        "NAT_NEEDS_FLOATING_GATEWAY",
        "ha.floatingGateway",
        "NAT replies go back through the director: with two directors they must go to an address that moves with the VIPs. Set a floating gateway on the realservers' segment (a free address such as 10.10.0.254); the panel points the realservers' return route at it, not at either director's own DIP",
      );
    }
    return;
  }
  const family = addressFamily(gateway);
  if (family === null) {
    c.error("INVALID_ADDRESS", "ha.floatingGateway", "must be an IPv4 or IPv6 address");
    return;
  }
  for (const [i, d] of [spec.director, spec.peer].entries()) {
    if (!d) continue;
    if (canonicalAddress(d.dip) === canonicalAddress(gateway)) {
      c.error(
        "GATEWAY_IS_DIP",
        "ha.floatingGateway",
        `must be a free address, not director ${i + 1}'s own DIP`,
      );
    }
  }
  const d = spec.director;
  if (
    d &&
    (addressFamily(d.dip) !== family ||
      !inSubnet(gateway, d.dip, d.dipPrefix ?? DEFAULT_DIP_PREFIX))
  ) {
    c.error(
      "GATEWAY_SUBNET",
      "ha.floatingGateway",
      `must be on the realservers' segment, the director's ${d.dip}/${d.dipPrefix ?? DEFAULT_DIP_PREFIX}`,
    );
  }
  if (spec.services.some((s) => canonicalAddress(s.vip) === canonicalAddress(gateway))) {
    c.error("GATEWAY_IS_VIP", "ha.floatingGateway", "must not be one of the services' VIPs");
  }
}

/** The rules as a list (for tests and callers outside validateCluster). */
export function haIssues(spec: ClusterSpec): Issue[] {
  const out: Issue[] = [];
  validateHa(spec, { error: (code, field, message) => out.push({ code, field, message }) });
  return out;
}
