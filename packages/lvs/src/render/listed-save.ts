// A service exactly as `ipvsadm -S -n` listed it, written back in the same format: how services the
// panel does not own go into the director's /etc/ipvsadm.rules. Everything the listing holds is
// kept (SCTP, tunnel forwarding, one-packet scheduling, a persistence engine), model or not.
import { canonicalAddress, formatEndpoint } from "../address.ts";
import type { ListedForwarding, ListedService } from "../parse/list.ts";

const METHOD: Record<ListedForwarding, string> = {
  nat: "-m",
  dr: "-g",
  tunnel: "-i",
  // ipvsadm lists a local realserver as "Local" and restores it with -g (the kernel decides).
  local: "-g",
};

/** The words that name a listed service to ipvsadm: `-t VIP:port`, `--sctp-service …`, `-f 7 -6`. */
export function listedServiceArgs(
  ls: Pick<ListedService, "protocol" | "address" | "port" | "fwmark" | "family">,
): string[] {
  if (ls.protocol === "fwm")
    return ["-f", String(ls.fwmark ?? 0), ...(ls.family === 6 ? ["-6"] : [])];
  const endpoint = formatEndpoint(canonicalAddress(ls.address ?? ""), ls.port ?? 0);
  const flag = ls.protocol === "tcp" ? "-t" : ls.protocol === "udp" ? "-u" : "--sctp-service";
  return [flag, endpoint];
}

function serviceRef(ls: ListedService): string {
  return listedServiceArgs(ls).join(" ");
}

export function renderListedSave(ls: ListedService): string[] {
  const ref = serviceRef(ls);
  const head = [`-A ${ref}`, `-s ${ls.scheduler ?? "wlc"}`];
  if (ls.schedulerFlags.length > 0) head.push(`-b ${ls.schedulerFlags.join(",")}`);
  if (ls.persistence !== undefined) head.push(`-p ${ls.persistence}`);
  if (ls.persistenceNetmask !== undefined) head.push(`-M ${ls.persistenceNetmask}`);
  if (ls.onePacket) head.push("-o");
  if (ls.persistenceEngine !== undefined) head.push(`--pe ${ls.persistenceEngine}`);
  const lines = [head.join(" ")];
  for (const rs of ls.realservers) {
    const parts = [`-a ${ref}`, `-r ${formatEndpoint(canonicalAddress(rs.address), rs.port)}`];
    parts.push(METHOD[rs.forwarding ?? "dr"], `-w ${rs.weight ?? 1}`);
    // Debian's ipvsadm-save (1.31) names the encapsulation after the weight; a gue or gre tunnel
    // must not come back as ipip at boot.
    if (rs.tunnel) {
      parts.push(`--tun-type ${rs.tunnel.type}`);
      if (rs.tunnel.port !== undefined) parts.push(`--tun-port ${rs.tunnel.port}`);
      if (rs.tunnel.checksum) parts.push(`--tun-${rs.tunnel.checksum}`);
    }
    if (rs.upperThreshold) parts.push(`-x ${rs.upperThreshold}`);
    if (rs.lowerThreshold) parts.push(`-y ${rs.lowerThreshold}`);
    lines.push(parts.join(" "));
  }
  return lines;
}
