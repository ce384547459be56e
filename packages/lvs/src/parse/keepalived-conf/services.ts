// A virtual_server block read as keepalived 2.2.7 reads it (check_parser.c, with check_data.c's
// defaults and port rules), then turned into the panel's ServiceSpec, or refused with the reason.
import { addressFamily } from "../../address.ts";
import { type Forwarding, SCHEDULERS, type Scheduler } from "../../fields.ts";
import type { SorryServer } from "../../health-check.ts";
import type { RealServerSpec, ServiceSpec } from "../../model.ts";
import type { Statement } from "./blocks.ts";
import { type Checker, checker, type Timing, timing } from "./checkers.ts";
import { CHECKERS, other } from "./keywords.ts";
import { serviceHealth } from "./service-health.ts";
import { address, flag, method, optionalPort, refuse, uint } from "./values.ts";

export interface RealServer {
  address: string;
  port: number | null;
  weight?: number;
  /** Its own lvs_method, else the virtual_server's as it stood at this line (alloc_rs copies it). */
  method?: Forwarding | undefined;
  upper?: number;
  lower?: number;
  inhibit?: boolean;
  timing: Timing;
  checker: Checker | null;
}

function realServer(st: Statement, vsMethod: Forwarding | undefined): RealServer {
  const rs: RealServer = {
    address: address(st, st.words[1]),
    port: optionalPort(st, 2),
    method: vsMethod,
    timing: {},
    checker: null,
  };
  for (const s of st.block ?? []) {
    const k = s.words[0] ?? "{";
    if (k === "weight") rs.weight = uint(s, 65535);
    else if (k === "lvs_method") rs.method = method(s);
    else if (k === "uthreshold") rs.upper = uint(s, 0xffffffff);
    else if (k === "lthreshold") rs.lower = uint(s, 0xffffffff);
    else if (k === "inhibit_on_failure") rs.inhibit = flag(s);
    else if (timing(rs.timing, s)) continue;
    else if (k in CHECKERS) {
      if (rs.checker) refuse(`real_server ${rs.address} has more than one checker`);
      rs.checker = checker(s);
    } else other(s, "real_server");
  }
  return rs;
}

export interface VirtualServer {
  fwmark: number | null;
  vip: string | null;
  port: number;
  family?: 4 | 6;
  protocol: "tcp" | "udp" | "sctp";
  scheduler?: Scheduler;
  /** IP_VS_SVC_F_SCHED1 (…-fallback, flag-1) and SCHED2 (…-port, flag-2). */
  flagBits: number;
  method?: Forwarding;
  persistence?: number;
  granularity?: string;
  weight: number;
  inhibit: boolean;
  timing: Timing;
  sorry?: { address: string; port: number | null };
  sorryMethod?: Forwarding;
  realservers: RealServer[];
}

const FLAG_BITS: Record<string, number> = {
  "sh-fallback": 1,
  "sh-port": 2,
  "mh-fallback": 1,
  "mh-port": 2,
  "flag-1": 1,
  "flag-2": 2,
};

function virtualServer(st: Statement): VirtualServer {
  const [, a, b] = st.words;
  if (a === "group") refuse("virtual_server_group is not supported");
  if (!st.block) refuse("virtual_server without a { } block");
  const mark = a === "fwmark";
  const vs: VirtualServer = {
    fwmark: mark ? uint(st, 0xffffffff, 2) : null,
    vip: mark ? null : address(st, a),
    port: mark
      ? 0
      : (optionalPort(st, 2) ?? refuse("a virtual_server without a port is not supported")),
    // keepalived's defaults for what the block leaves out (check_data.c, doc §1.6).
    protocol: "udp",
    flagBits: 0,
    weight: 1,
    inhibit: false,
    timing: {},
    realservers: [],
  };
  if (b !== undefined && st.words.length > 3) refuse(`unexpected words after ${a} ${b}`);
  for (const s of st.block) {
    const k = s.words[0] ?? "{";
    const v = s.words[1];
    if (k === "lvs_sched" || k === "lb_algo") {
      vs.scheduler =
        SCHEDULERS.find((x) => x === v) ?? refuse(`lvs_sched ${v ?? ""} is not supported`);
    } else if (k in FLAG_BITS) {
      // 2.2.7 honours sh-* and mh-* only after their lvs_sched, and ignores them otherwise.
      if (k.startsWith("sh-") || k.startsWith("mh-")) {
        if (vs.scheduler !== k.slice(0, 2))
          refuse(`${k} before lvs_sched ${k.slice(0, 2)}: keepalived ignores it`);
      }
      vs.flagBits |= FLAG_BITS[k] ?? 0;
    } else if (k === "hashed")
      continue; // 2.2.7's flag handler sets no bit for it
    else if (k === "lvs_method" || k === "lb_kind") vs.method = method(s);
    else if (k === "protocol") vs.protocol = protocol(s);
    else if (k === "persistence_timeout")
      vs.persistence =
        v === undefined ? 360 : uint(s, 0xffffffff) || refuse("persistence_timeout 0 is invalid");
    else if (k === "persistence_granularity") vs.granularity = v ?? "";
    else if (k === "ip_family")
      vs.family =
        v === "inet" ? 4 : v === "inet6" ? 6 : refuse(`ip_family ${v ?? ""} is not inet or inet6`);
    // 2.2.7's virtual_server-level handler takes no value: any word there still means on.
    else if (k === "inhibit_on_failure") vs.inhibit = true;
    else if (k === "weight")
      vs.weight = uint(s, 65535) || refuse("virtual_server weight 0 is invalid");
    else if (k === "quorum" && v !== "1")
      refuse(`quorum ${v ?? ""} is not supported (the panel keeps 1)`);
    else if (k === "hysteresis" && v !== "0")
      refuse(`hysteresis ${v ?? ""} is not supported (the panel keeps 0)`);
    else if (k === "quorum" || k === "hysteresis") continue;
    else if (k === "sorry_server") vs.sorry = { address: address(s, v), port: optionalPort(s, 2) };
    else if (k === "sorry_server_lvs_method") vs.sorryMethod = method(s);
    else if (k === "real_server") vs.realservers.push(realServer(s, vs.method));
    else if (!timing(vs.timing, s)) other(s, "virtual_server");
  }
  return vs;
}

function protocol(st: Statement): "tcp" | "udp" | "sctp" {
  const v = st.words[1]?.toLowerCase();
  if (v === "tcp" || v === "udp" || v === "sctp") return v;
  return refuse(`protocol ${st.words[1] ?? ""} is not TCP, UDP or SCTP`);
}

/** keepalived clears a mark service's non-NAT sorry server port; the model needs one, unused. */
const MARK_SORRY_PORT = 80;

/** The service a virtual_server block configures, and what the panel's rendering changes in it. */
export function serviceOf(st: Statement): { spec: ServiceSpec; notes: string[] } {
  const vs = virtualServer(st);
  if (vs.realservers.length === 0) refuse("no real_server: keepalived does not create the service");
  const forwarding = vs.method ?? "nat";
  const isMark = vs.fwmark !== null;
  const realservers = vs.realservers.map((rs): RealServerSpec => {
    const m = rs.method ?? forwarding;
    // keepalived's own port rules (check_data.c): a non-NAT realserver takes the service's port
    // (resetting any other), a NAT one without a port too; a mark service's non-NAT has none.
    const port = isMark
      ? m === "nat"
        ? (rs.port ?? 0)
        : 0
      : m === "nat"
        ? (rs.port ?? vs.port)
        : vs.port;
    const out: RealServerSpec = {
      address: rs.address,
      port,
      weight: rs.weight ?? vs.weight,
      enabled: true,
    };
    if (rs.upper !== undefined) out.upperThreshold = rs.upper;
    if (rs.lower !== undefined) out.lowerThreshold = rs.lower;
    if (m !== forwarding) out.forwarding = m;
    return out;
  });
  const family =
    (vs.vip !== null ? addressFamily(vs.vip) : null) ??
    vs.family ??
    (vs.granularity ? (vs.granularity.includes(".") ? 4 : 6) : undefined) ??
    addressFamily(vs.sorry?.address ?? vs.realservers[0]?.address ?? "") ??
    4;
  const bits = vs.flagBits;
  const scheduler = vs.scheduler ?? "wlc";
  if (bits !== 0 && scheduler !== "sh" && scheduler !== "mh") {
    refuse(`scheduler flags need lvs_sched sh or mh, not ${scheduler}`);
  }
  const spec: ServiceSpec = {
    protocol: isMark ? "tcp" : vs.protocol,
    vip: vs.vip ?? (family === 6 ? "::" : "0.0.0.0"),
    port: vs.port,
    scheduler,
    schedulerFlags: [
      ...(bits & 1 ? [`${scheduler}-fallback`] : []),
      ...(bits & 2 ? [`${scheduler}-port`] : []),
    ],
    // keepalived turns a granularity alone into persistence with its default timeout.
    persistence: vs.persistence ?? (vs.granularity !== undefined ? 360 : null),
    persistenceNetmask: vs.granularity ?? null,
    forwarding,
    realservers,
  };
  if (isMark) spec.fwmark = vs.fwmark;
  const notes = serviceHealth(spec, vs);
  if (vs.sorry) spec.sorryServer = sorryServer(vs, forwarding, realservers[0]?.forwarding);
  return { spec, notes };
}

function sorryServer(
  vs: VirtualServer,
  forwarding: Forwarding,
  firstOwn: Forwarding | undefined,
): SorryServer {
  const sorry = vs.sorry ?? refuse("no sorry_server");
  if ((vs.sorryMethod ?? forwarding) !== forwarding) {
    refuse(
      "sorry_server_lvs_method differs from the service's: the panel's sorry server uses the service's",
    );
  }
  // The panel writes the first realserver's method as the virtual_server's, and so its sorry
  // server's (render/keepalived-conf.ts).
  if (firstOwn !== undefined) {
    refuse(
      `the sorry server is forwarded by ${forwarding.toUpperCase()}, the first realserver by ${firstOwn.toUpperCase()}: the panel forwards a sorry server by its first realserver's method`,
    );
  }
  let port = sorry.port;
  if (forwarding !== "nat") port = vs.fwmark !== null ? (port ?? MARK_SORRY_PORT) : vs.port;
  if (port === null) refuse("sorry_server without a port in a NAT service");
  return { address: sorry.address, port };
}
