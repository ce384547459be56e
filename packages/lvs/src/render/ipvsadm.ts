// ipvsadm commands as argv, and the rules file ipvsadm-restore reads. The restore lines use the
// same argument order as ipvsadm-save so a saved table and a rendered one compare line by line.
// The argv builders expect normalized services (see normalize.ts): canonical addresses, effective
// weights; the plan normalizes once rather than per command.
import { addressFamily, formatEndpoint } from "../address.ts";
import type { Forwarding, Protocol } from "../fields.ts";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";
import { type Endpoint, EndpointMemo } from "./endpoints.ts";

/** The switch naming an address service: SCTP has no short one (ipvsadm-save writes it long). */
const SERVICE_SWITCH = {
  tcp: "-t",
  udp: "-u",
  sctp: "--sctp-service",
} as const satisfies Record<Protocol, string>;

/** The forwarding switch of `-a`/`-e`, as ipvsadm-save writes it. */
const FORWARDING_SWITCH = {
  nat: "-m",
  dr: "-g",
  tun: "-i",
} as const satisfies Record<Forwarding, string>;

/** `-t vip:port`, `-u ...`, `--sctp-service ...` or `-f mark [-6]`: naming the service. */
export function serviceArgs(s: ServiceSpec): string[] {
  if (s.fwmark != null) {
    const args = ["-f", String(s.fwmark)];
    if (addressFamily(s.vip) === 6) args.push("-6");
    return args;
  }
  return [SERVICE_SWITCH[s.protocol], formatEndpoint(s.vip, s.port)];
}

/** Everything -A/-E set. ipvsadm -E resets what it is not given, so edits repeat all of it. */
function serviceOptions(s: ServiceSpec): string[] {
  const args = ["-s", s.scheduler];
  if (s.schedulerFlags && s.schedulerFlags.length > 0) args.push("-b", s.schedulerFlags.join(","));
  if (s.persistence != null) args.push("-p", String(s.persistence));
  if (s.persistence != null && s.persistenceNetmask != null) args.push("-M", s.persistenceNetmask);
  return args;
}

/**
 * `ipvsadm -a|-e <service> -r ep -g|-m|-i -w weight [-x] [-y]`: everything -a/-e set; thresholds of
 * 0 mean "none" and are what ipvsadm assumes when absent. Built as one array of its final size
 * in the usual case (a plan builds tens of thousands; growing arrays left garbage behind).
 * @param ep formatEndpoint(rs.address, rs.port), when the caller has it already.
 * @param weight the weight to set; the realserver's effective weight unless given.
 */
export function serverCommand(
  verb: "-a" | "-e",
  svc: readonly string[],
  s: ServiceSpec,
  rs: RealServerSpec,
  ep = formatEndpoint(rs.address, rs.port),
  weight = rs.enabled ? rs.weight : 0,
): string[] {
  const method = FORWARDING_SWITCH[rs.forwarding ?? s.forwarding];
  let argv: string[];
  if (svc.length === 2) {
    argv = [
      "ipvsadm",
      verb,
      svc[0] as string,
      svc[1] as string,
      "-r",
      ep,
      method,
      "-w",
      String(weight),
    ];
  } else {
    argv = commandStart(verb, svc);
    argv.push("-r", ep, method, "-w", String(weight));
  }
  if (rs.upperThreshold) argv.push("-x", String(rs.upperThreshold));
  if (rs.lowerThreshold) argv.push("-y", String(rs.lowerThreshold));
  return argv;
}

/** `ipvsadm <verb> <service>`, the start of every command, as a fresh array. */
export function commandStart(verb: string, svc: readonly string[]): string[] {
  const argv = ["ipvsadm", verb];
  for (const a of svc) argv.push(a);
  return argv;
}

export const ipvsadmArgv = {
  addService: (s: ServiceSpec) => ["ipvsadm", "-A", ...serviceArgs(s), ...serviceOptions(s)],
  editService: (s: ServiceSpec) => ["ipvsadm", "-E", ...serviceArgs(s), ...serviceOptions(s)],
  deleteService: (s: ServiceSpec) => ["ipvsadm", "-D", ...serviceArgs(s)],
  // `svc` lets a caller that emits many realserver commands compute the service part once.
  addServer: (s: ServiceSpec, rs: RealServerSpec, svc = serviceArgs(s)) =>
    serverCommand("-a", svc, s, rs),
  editServer: (s: ServiceSpec, rs: RealServerSpec, svc = serviceArgs(s)) =>
    serverCommand("-e", svc, s, rs),
  deleteServer: (
    s: ServiceSpec,
    rs: Pick<RealServerSpec, "address" | "port">,
    svc = serviceArgs(s),
  ) => ["ipvsadm", "-d", ...svc, "-r", formatEndpoint(rs.address, rs.port)],
};

/** The whole table as `ipvsadm-restore` input (the format of `ipvsadm-save -n`, plus -x/-y). */
export function renderIpvsadmRestore(spec: Pick<ClusterSpec, "services">): string {
  return renderNormalizedRestore(spec.services.map(normalizeService));
}

/** Same words from serverCommand, given the same endpoint and method. */
function sameServerOptions(a: RealServerSpec, b: RealServerSpec): boolean {
  return (
    (a.enabled ? a.weight : 0) === (b.enabled ? b.weight : 0) &&
    (a.upperThreshold || 0) === (b.upperThreshold || 0) &&
    (a.lowerThreshold || 0) === (b.lowerThreshold || 0)
  );
}

/** renderIpvsadmRestore for services the caller has already normalized (the plan has). */
export function renderNormalizedRestore(
  services: readonly ServiceSpec[],
  endpoints = new EndpointMemo(),
): string {
  const lines: string[] = [];
  // A realserver usually has the same options in every service it is in: its last
  // `-r ... -w ...` text is kept and reused while they do not change.
  const last = new Map<Endpoint, { rs: RealServerSpec; fwd: string; text: string }>();
  for (const s of services) {
    lines.push(ipvsadmArgv.addService(s).slice(1).join(" "));
    const prefix = `-a ${serviceArgs(s).join(" ")} `;
    // The words serverCommand gives, joined by hand: 21,000 lines without an array each.
    for (const rs of s.realservers) {
      const ep = endpoints.get(rs.address, rs.port);
      const fwd = FORWARDING_SWITCH[rs.forwarding ?? s.forwarding];
      let options = last.get(ep);
      if (!options || !sameServerOptions(options.rs, rs) || options.fwd !== fwd) {
        let text = `-r ${ep.text} ${fwd} -w ${rs.enabled ? rs.weight : 0}`;
        if (rs.upperThreshold) text += ` -x ${rs.upperThreshold}`;
        if (rs.lowerThreshold) text += ` -y ${rs.lowerThreshold}`;
        options = { rs, fwd, text };
        last.set(ep, options);
      }
      lines.push(prefix + options.text);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
