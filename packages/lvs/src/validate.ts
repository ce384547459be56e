// Cluster-level validation: the field checks the forms already do, plus the rules operators
// otherwise learn from a broken cluster (DR port remapping, subnets, NAT pool size, duplicates).
import type { z } from "zod";
import { addressFamily, canonicalAddress, inSubnet } from "./address.ts";
import {
  FORWARDING_METHODS,
  type Forwarding,
  forwardingSchema,
  interfaceNameSchema,
  ipAddressSchema,
  MAX_THRESHOLD,
  PROTOCOLS,
  persistenceSchema,
  portSchema,
  protocolSchema,
  SCHEDULERS,
  schedulerFlagsSchema,
  schedulerSchema,
  thresholdSchema,
  weightSchema,
} from "./fields.ts";
import {
  effectiveHealthCheck,
  failureActionSchema,
  healthCheckProblems,
  healthCheckSchema,
  sorryServerSchema,
} from "./health-check.ts";
import {
  forwardingFamilyProblem,
  persistenceNetmaskProblem,
  schedulerFlagProblem,
  thresholdOrderProblem,
} from "./input-rules.ts";
import {
  type ClusterSpec,
  DEFAULT_DIP_PREFIX,
  type DirectorSpec,
  type Issue,
  type RealServerSpec,
  realserverForwarding,
  type ServiceSpec,
} from "./model.ts";

import { validateHa } from "./validate-ha.ts";

// The package index lists this module; the rules for one submitted service or realserver go
// out through it too.
export * from "./input-rules.ts";

const METHOD_NAME = { nat: "NAT", dr: "DR", tun: "TUN" } as const satisfies Record<
  Forwarding,
  string
>;

/** NAT funnels every reply through the director; beyond this many realservers it is the bottleneck. */
export const NAT_MAX_RECOMMENDED_REALSERVERS = 5;

export interface ValidationResult {
  errors: Issue[];
  warnings: Issue[];
}

class Collector {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  error(code: string, field: string, message: string): void {
    this.errors.push({ code, field, message });
  }
  warn(code: string, field: string, message: string): void {
    this.warnings.push({ code, field, message });
  }
  /** An address: valid as given (the schema trims, but the value is used untrimmed). */
  address(value: unknown, field: string): boolean {
    if (typeof value === "string" && addressFamily(value) !== null) return true;
    if (this.check(ipAddressSchema, value, "INVALID_ADDRESS", field)) {
      this.error("INVALID_ADDRESS", field, "must not have spaces around the address");
    }
    return false;
  }
  /** Whole number in range without a schema call (the hot path for thousands of realservers). */
  integer(schema: z.ZodType, value: unknown, min: number, code: string, field: string): boolean {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= 65535) {
      return true;
    }
    return this.check(schema, value, code, field);
  }
  /** Run a field schema; report its own message so API and forms say the same thing. */
  check(schema: z.ZodType, value: unknown, code: string, field: string): boolean {
    const result = schema.safeParse(value);
    if (result.success) return true;
    this.error(code, field, result.error.issues[0]?.message ?? "is invalid");
    return false;
  }
}

export function serviceKey(s: Pick<ServiceSpec, "protocol" | "vip" | "port" | "fwmark">): string {
  if (s.fwmark != null) return `fwm|${s.fwmark}|${addressFamily(s.vip) ?? 4}`;
  return `${s.protocol}|${canonicalAddress(s.vip)}|${s.port}`;
}

export function realserverKey(rs: Pick<RealServerSpec, "address" | "port">): string {
  return `${canonicalAddress(rs.address)}|${rs.port}`;
}

export function validateCluster(spec: ClusterSpec): ValidationResult {
  const c = new Collector();
  const director = validateDirector(spec.director, c);
  if (!spec.director && spec.services.length > 0) {
    c.warn("NO_DIRECTOR", "director", "no director set; subnet and return-route checks skipped");
  }
  validateHa(spec, c);
  const seen = new Map<string, number>();
  spec.services.forEach((service, i) => {
    const field = `services[${i}]`;
    validateService(service, field, director, c);
    validateHealth(service, field, c);
    if (spec.engine === "keepalived") validateForKeepalived(service, field, c);
    const key = serviceKey(service);
    const first = seen.get(key);
    if (first !== undefined) {
      c.error("DUPLICATE_SERVICE", field, `same protocol, VIP and port as services[${first}]`);
    } else seen.set(key, i);
  });
  unlinkedRealservers(spec, c);
  return { errors: c.errors, warnings: c.warnings };
}

const BY_HAND = {
  nat: "the return route of the service's replies through the director",
  dr: "the VIP on lo and the ARP settings",
  tun: "the VIP on tunl0 (ipip), rp_filter off and the ARP settings",
} as const satisfies Record<Forwarding, string>;

/**
 * A realserver address that no entry links to an SSH host (`hostId: null`: none was chosen, or
 * its host was deleted): the panel changes nothing on it. The plan says the same, from here.
 * Specs without host links at all (`hostId` absent: imports, tests) are not judged.
 */
function unlinkedRealservers(spec: ClusterSpec, c: Collector): void {
  const linked = new Set<string>();
  const unlinked = new Map<string, { field: string; methods: Set<Forwarding> }>();
  spec.services.forEach((s, i) => {
    s.realservers.forEach((rs, j) => {
      if (addressFamily(rs.address) === null) return;
      const address = canonicalAddress(rs.address);
      if (rs.hostId) linked.add(address);
      else if (rs.hostId === null) {
        let entry = unlinked.get(address);
        if (!entry) {
          entry = { field: `services[${i}].realservers[${j}].hostId`, methods: new Set() };
          unlinked.set(address, entry);
        }
        entry.methods.add(realserverForwarding(s, rs));
      }
    });
  });
  for (const [address, { field, methods }] of unlinked) {
    if (linked.has(address)) continue;
    const steps = FORWARDING_METHODS.filter((m) => methods.has(m)).map((m) => BY_HAND[m]);
    c.warn(
      "REALSERVER_NOT_MANAGED",
      field,
      `realserver ${address} has no SSH host (none was linked, or its host was deleted): the panel configures nothing on it, so set up ${steps.join(" and ")} by hand, or link it to a host`,
    );
  }
}

function validateDirector(d: DirectorSpec | null, c: Collector): DirectorSpec | null {
  if (!d) return null;
  let ok = c.address(d.dip, "director.dip");
  ok = c.check(interfaceNameSchema, d.interface, "INVALID_INTERFACE", "director.interface") && ok;
  if (d.vipInterface !== undefined) {
    ok =
      c.check(interfaceNameSchema, d.vipInterface, "INVALID_INTERFACE", "director.vipInterface") &&
      ok;
  }
  if (d.dipPrefix !== undefined) {
    const max = addressFamily(d.dip) === 6 ? 128 : 32;
    if (!Number.isInteger(d.dipPrefix) || d.dipPrefix < 1 || d.dipPrefix > max) {
      c.error("INVALID_PREFIX", "director.dipPrefix", `must be a whole number from 1 to ${max}`);
      ok = false;
    }
  }
  return ok ? d : null;
}

function validateService(
  s: ServiceSpec,
  field: string,
  director: DirectorSpec | null,
  c: Collector,
): void {
  // Enum fast paths: only a bad value pays for the schema call that words the message.
  if (!PROTOCOLS.includes(s.protocol)) {
    c.check(protocolSchema, s.protocol, "INVALID_PROTOCOL", `${field}.protocol`);
  }
  const vipOk = c.address(s.vip, `${field}.vip`);
  const isFwmark = s.fwmark != null;
  if (isFwmark) {
    const m = s.fwmark as number;
    if (!Number.isInteger(m) || m < 1 || m > 0xffffffff) {
      c.error("INVALID_FWMARK", `${field}.fwmark`, "must be a whole number from 1 to 4294967295");
    }
  } else {
    c.integer(portSchema, s.port, 1, "INVALID_PORT", `${field}.port`);
  }
  if (!SCHEDULERS.includes(s.scheduler)) {
    c.check(schedulerSchema, s.scheduler, "INVALID_SCHEDULER", `${field}.scheduler`);
  }
  if (!FORWARDING_METHODS.includes(s.forwarding)) {
    c.check(forwardingSchema, s.forwarding, "INVALID_FORWARDING", `${field}.forwarding`);
  }
  validateSchedulerFlags(s, field, c);
  validatePersistence(s, field, vipOk ? addressFamily(s.vip) : null, c);

  const vipFamily = vipOk ? addressFamily(s.vip) : null;
  const tun = forwardingFamilyProblem(s.forwarding, vipFamily);
  if (tun) c.error(tun.code, `${field}.vip`, tun.message);
  if (vipOk && director) natVipInsideRealserverSubnet(s, field, director, c);
  if (s.realservers.length === 0) {
    c.warn(
      "NO_REALSERVERS",
      `${field}.realservers`,
      "service has no realservers; it drops traffic",
    );
  }
  if (s.forwarding === "nat" && s.realservers.length > NAT_MAX_RECOMMENDED_REALSERVERS) {
    c.warn(
      "NAT_TOO_MANY_REALSERVERS",
      `${field}.realservers`,
      `NAT sends every reply through the director; with more than ${NAT_MAX_RECOMMENDED_REALSERVERS} realservers use DR`,
    );
  }
  const seen = new Map<string, number>();
  s.realservers.forEach((rs, j) => {
    const rsField = `${field}.realservers[${j}]`;
    validateRealserver(s, rs, rsField, vipFamily, director, c);
    const key = realserverKey(rs);
    const first = seen.get(key);
    if (first !== undefined) {
      c.error("DUPLICATE_REALSERVER", rsField, `same address and port as realservers[${first}]`);
    } else seen.set(key, j);
  });
}

/**
 * NAT rewrites the client's packets to a realserver and relies on the replies coming back through
 * the director. A client inside the realservers' subnet (the DIP's) is answered straight from the
 * realserver, from its own address rather than the VIP, and drops the reply; a VIP in that subnet
 * invites exactly those clients, and shares the segment the realservers' return route points into.
 */
function natVipInsideRealserverSubnet(
  s: ServiceSpec,
  field: string,
  director: DirectorSpec,
  c: Collector,
): void {
  const nat =
    s.realservers.length === 0
      ? s.forwarding === "nat"
      : s.realservers.some((rs) => realserverForwarding(s, rs) === "nat");
  const vip = canonicalAddress(s.vip);
  if (!nat || vip === "0.0.0.0" || vip === "::") return;
  const prefix = director.dipPrefix ?? DEFAULT_DIP_PREFIX;
  if (addressFamily(director.dip) !== addressFamily(vip) || !inSubnet(vip, director.dip, prefix)) {
    return;
  }
  c.warn(
    "NAT_VIP_IN_REALSERVER_SUBNET",
    `${field}.vip`,
    `NAT VIP ${vip} is inside the realservers' subnet ${director.dip}/${prefix}: clients on that subnet get their replies straight from a realserver instead of through the director, and drop them. Give NAT services a VIP on the director's outside network, or use DR`,
  );
}

/** The health check, failure action and sorry server: the same rules as a submitted service. */
function validateHealth(s: ServiceSpec, field: string, c: Collector): void {
  if (s.healthCheck === undefined && s.onFailure === undefined && s.sorryServer == null) return;
  let ok = true;
  if (s.healthCheck !== undefined) {
    ok = c.check(healthCheckSchema, s.healthCheck, "INVALID_HEALTH_CHECK", `${field}.healthCheck`);
  }
  if (s.onFailure !== undefined) {
    c.check(failureActionSchema, s.onFailure, "INVALID_ON_FAILURE", `${field}.onFailure`);
  }
  if (s.sorryServer != null) {
    ok =
      c.check(sorryServerSchema, s.sorryServer, "INVALID_SORRY_SERVER", `${field}.sorryServer`) &&
      ok;
  }
  if (!ok || addressFamily(s.vip) === null) return;
  for (const p of healthCheckProblems(s.healthCheck, s.sorryServer, s.vip)) {
    c.error(p.code, `${field}.${p.field}`, p.message);
  }
  s.realservers.forEach((rs, j) => {
    if (rs.checkPort != null) {
      c.check(portSchema, rs.checkPort, "INVALID_PORT", `${field}.realservers[${j}].checkPort`);
    }
  });
}

/**
 * What keepalived cannot represent. It names a mark service's DR or TUN realserver by address
 * alone (it clears the port), as it does a NAT one at port 0, so two such that share an address would
 * collapse into one real_server; and the panel's keepalived.conf forwards a sorry server by the
 * service's method as it writes it: the first realserver's (render/keepalived-conf.ts).
 */
function validateForKeepalived(s: ServiceSpec, field: string, c: Collector): void {
  const check = effectiveHealthCheck(s);
  // keepalived's checkers connect over TCP (it has no SCTP one, and UDP_CHECK is not modelled).
  if (
    (s.protocol === "udp" || s.protocol === "sctp") &&
    s.fwmark == null &&
    check.type !== "none"
  ) {
    const proto = s.protocol.toUpperCase();
    const article = s.protocol === "sctp" ? "an" : "a";
    c.warn(
      `${proto}_SERVICE_TCP_CHECK`,
      `${field}.healthCheck.type`,
      `${article} ${proto} service checked with ${check.type} connects over TCP: realservers that only speak ${proto} refuse and are all taken out; check a TCP port of theirs, or choose none`,
    );
  }
  const sorry = s.sorryServer;
  const first = s.realservers[0];
  const rendered = first ? realserverForwarding(s, first) : s.forwarding;
  // keepalived gives a DR or TUN sorry server the service's port, whatever the file says.
  const fixedPort = rendered === "dr" || rendered === "tun";
  if (sorry && s.fwmark == null && fixedPort && sorry.port !== s.port) {
    const name = METHOD_NAME[rendered];
    c.error(
      `${name}_SORRY_SERVER_PORT`,
      `${field}.sorryServer.port`,
      s.forwarding === rendered
        ? `${name} cannot remap ports: the sorry server's port must be the service's, ${s.port} (keepalived resets it)`
        : `keepalived.conf forwards the sorry server by the first realserver's method, ${name}, which cannot remap ports: its port must be the service's, ${s.port} (keepalived resets it)`,
    );
  }
  if (s.fwmark == null) return;
  if (check.type !== "none" && check.port === undefined) {
    s.realservers.forEach((rs, j) => {
      if (rs.port === 0 && rs.checkPort == null) {
        c.warn(
          "MARK_REALSERVER_UNCHECKED",
          `${field}.realservers[${j}].checkPort`,
          "a mark service's realserver without a port has nothing to check: set a check port (it stays in rotation unchecked)",
        );
      }
    });
  }
  // A real_server line's name: the address, and the port for NAT only (keepalived clears a DR
  // one's). Two NAT ones alike are DUPLICATE_REALSERVER's already.
  const seen = new Map<string, { index: number; nat: boolean }>();
  s.realservers.forEach((rs, j) => {
    const nat = realserverForwarding(s, rs) === "nat";
    const key = `${canonicalAddress(rs.address)}|${nat ? rs.port : 0}`;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, { index: j, nat });
    else if (!nat || !earlier.nat) {
      c.error(
        "KEEPALIVED_FWMARK_DUPLICATE",
        `${field}.realservers[${j}].port`,
        `keepalived names a mark service's DR realservers (and NAT ones at port 0) by address only: this one and realservers[${earlier.index}] would be one real_server, and keepalived keeps only the first`,
      );
    }
  });
}

function validateSchedulerFlags(s: ServiceSpec, field: string, c: Collector): void {
  const flags = s.schedulerFlags ?? [];
  // Most services have no flags: only those that do pay for the schema call.
  if (flags.length === 0) return;
  if (!c.check(schedulerFlagsSchema, flags, "INVALID_SCHEDULER_FLAG", `${field}.schedulerFlags`)) {
    return;
  }
  flags.forEach((flag, k) => {
    const problem = schedulerFlagProblem(s.scheduler, flag);
    if (problem) c.error("INVALID_SCHEDULER_FLAG", `${field}.schedulerFlags[${k}]`, problem);
  });
}

function validatePersistence(
  s: ServiceSpec,
  field: string,
  family: 4 | 6 | null,
  c: Collector,
): void {
  if (s.persistence != null) {
    c.check(persistenceSchema, s.persistence, "INVALID_PERSISTENCE", `${field}.persistence`);
  }
  const problem = persistenceNetmaskProblem(s.persistenceNetmask, s.persistence, family);
  if (problem) c.error(problem.code, `${field}.persistenceNetmask`, problem.message);
}

function validateRealserver(
  s: ServiceSpec,
  rs: RealServerSpec,
  field: string,
  vipFamily: 4 | 6 | null,
  director: DirectorSpec | null,
  c: Collector,
): void {
  const addrOk = c.address(rs.address, `${field}.address`);
  // A firewall-mark service has no single port: realserver port 0 means "the packet's own port".
  const portOk =
    s.fwmark != null && rs.port === 0
      ? true
      : c.integer(portSchema, rs.port, 1, "INVALID_PORT", `${field}.port`);
  c.integer(weightSchema, rs.weight, 0, "INVALID_WEIGHT", `${field}.weight`);
  let thresholdsOk = true;
  for (const key of ["upperThreshold", "lowerThreshold"] as const) {
    const v = rs[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= MAX_THRESHOLD)) {
      c.check(thresholdSchema, v, "INVALID_THRESHOLD", `${field}.${key}`);
      thresholdsOk = false;
    }
  }
  const order = thresholdsOk
    ? thresholdOrderProblem(rs.upperThreshold ?? 0, rs.lowerThreshold ?? 0)
    : null;
  if (order) c.error("THRESHOLD_ORDER", `${field}.lowerThreshold`, order);
  if (!addrOk) return;
  const family = addressFamily(rs.address);
  if (vipFamily !== null && family !== vipFamily) {
    c.error(
      "FAMILY_MISMATCH",
      `${field}.address`,
      `realserver is IPv${family} but the VIP is IPv${vipFamily}`,
    );
    return;
  }
  const forwarding = rs.forwarding ?? s.forwarding;
  // The service's own method on an IPv6 VIP is reported there, once.
  const tun = forwarding !== s.forwarding ? forwardingFamilyProblem(forwarding, family) : null;
  if (tun) c.error(tun.code, `${field}.address`, tun.message);
  const servicePortOk = Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535;
  // DR and TUN hand the packet on unchanged: ipvsadm silently sets such a realserver's port to
  // the service's, so another one would never be what the kernel holds.
  if (
    (forwarding === "dr" || forwarding === "tun") &&
    portOk &&
    servicePortOk &&
    s.fwmark == null &&
    rs.port !== s.port
  ) {
    const name = METHOD_NAME[forwarding];
    c.error(
      `${name}_PORT_MISMATCH`,
      `${field}.port`,
      `${name} cannot remap ports: realserver port must equal the VIP port ${s.port}`,
    );
  }
  if (!director) return;
  const prefix = director.dipPrefix ?? DEFAULT_DIP_PREFIX;
  if (addressFamily(director.dip) !== family) {
    c.warn(
      "DIP_FAMILY_MISMATCH",
      `${field}.address`,
      `realserver is IPv${family} but the DIP is not; subnet and return route cannot be checked`,
    );
    return;
  }
  const inside = inSubnet(rs.address, director.dip, prefix);
  if (forwarding === "dr" && !inside) {
    c.error(
      "DR_RS_OUTSIDE_DIP_SUBNET",
      `${field}.address`,
      `DR needs the realserver on the director's segment ${director.dip}/${prefix}`,
    );
  }
  if (forwarding === "nat" && s.fwmark != null && rs.port === 0) {
    c.warn(
      "NAT_FWMARK_NO_RETURN_ROUTE",
      `${field}.port`,
      "a NAT realserver of a mark service with port 0 gets no return route; set one up by hand",
    );
  }
  if (forwarding === "nat" && !inside) {
    c.warn(
      "NAT_RS_OUTSIDE_DIP_SUBNET",
      `${field}.address`,
      `NAT replies must return via the DIP ${director.dip}; this realserver is outside ${director.dip}/${prefix}`,
    );
  }
}
