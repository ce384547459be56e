// ipvsadm commands as argv, and the rules file ipvsadm-restore reads. The restore lines use the
// same argument order as ipvsadm-save so a saved table and a rendered one compare line by line.
// The argv builders expect normalized services (see normalize.ts): canonical addresses, effective
// weights; the plan normalizes once rather than per command.
import { addressFamily, formatEndpoint } from "../address.ts";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";

function serviceArgs(s: ServiceSpec): string[] {
  if (s.fwmark != null) {
    const args = ["-f", String(s.fwmark)];
    if (addressFamily(s.vip) === 6) args.push("-6");
    return args;
  }
  return [s.protocol === "udp" ? "-u" : "-t", formatEndpoint(s.vip, s.port)];
}

/** Everything -A/-E set. ipvsadm -E resets what it is not given, so edits repeat all of it. */
function serviceOptions(s: ServiceSpec): string[] {
  const args = ["-s", s.scheduler];
  if (s.schedulerFlags && s.schedulerFlags.length > 0) args.push("-b", s.schedulerFlags.join(","));
  if (s.persistence != null) args.push("-p", String(s.persistence));
  if (s.persistence != null && s.persistenceNetmask != null) args.push("-M", s.persistenceNetmask);
  return args;
}

/** Everything -a/-e set; thresholds of 0 mean "none" and are what ipvsadm assumes when absent. */
function serverOptions(s: ServiceSpec, rs: RealServerSpec): string[] {
  const fwd = rs.forwarding ?? s.forwarding;
  const args = [
    "-r",
    formatEndpoint(rs.address, rs.port),
    fwd === "nat" ? "-m" : "-g",
    "-w",
    String(rs.enabled ? rs.weight : 0),
  ];
  if (rs.upperThreshold) args.push("-x", String(rs.upperThreshold));
  if (rs.lowerThreshold) args.push("-y", String(rs.lowerThreshold));
  return args;
}

export const ipvsadmArgv = {
  addService: (s: ServiceSpec) => ["ipvsadm", "-A", ...serviceArgs(s), ...serviceOptions(s)],
  editService: (s: ServiceSpec) => ["ipvsadm", "-E", ...serviceArgs(s), ...serviceOptions(s)],
  deleteService: (s: ServiceSpec) => ["ipvsadm", "-D", ...serviceArgs(s)],
  addServer: (s: ServiceSpec, rs: RealServerSpec) => [
    "ipvsadm",
    "-a",
    ...serviceArgs(s),
    ...serverOptions(s, rs),
  ],
  editServer: (s: ServiceSpec, rs: RealServerSpec) => [
    "ipvsadm",
    "-e",
    ...serviceArgs(s),
    ...serverOptions(s, rs),
  ],
  deleteServer: (s: ServiceSpec, rs: Pick<RealServerSpec, "address" | "port">) => [
    "ipvsadm",
    "-d",
    ...serviceArgs(s),
    "-r",
    formatEndpoint(rs.address, rs.port),
  ],
};

/** The whole table as `ipvsadm-restore` input (the format of `ipvsadm-save -n`, plus -x/-y). */
export function renderIpvsadmRestore(spec: Pick<ClusterSpec, "services">): string {
  const lines: string[] = [];
  // Normalizing is idempotent, so already-normalized services (from the plan) pass unchanged.
  for (const s of spec.services.map(normalizeService)) {
    lines.push(ipvsadmArgv.addService(s).slice(1).join(" "));
    for (const rs of s.realservers) lines.push(ipvsadmArgv.addServer(s, rs).slice(1).join(" "));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
