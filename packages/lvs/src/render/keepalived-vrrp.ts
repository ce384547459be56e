// The VRRP part of keepalived.conf for a cluster with `ha` (director failover): one instance per
// cluster that holds every VIP (and the NAT floating gateway), so they move together, which is
// what a sync group would do without keepalived's single-instance warning (`-t` exits 5). Each
// director gets its own file: the same virtual_server sections, its own priority and peer.
// Grammar and pitfalls: shared/docs/keepalived.md §1.3, §4, §6.1, §6.4.
import { addressFamily, canonicalAddress, hostPrefix } from "../address.ts";
import {
  type ClusterSpec,
  DEFAULT_DIP_PREFIX,
  type DirectorSpec,
  type HaSpec,
  realserverForwarding,
} from "../model.ts";

/** What renderVrrp needs: the cluster's VRRP settings, this director, and the other one. */
export type VrrpSpec = Pick<ClusterSpec, "services" | "ha" | "director" | "peer">;

export interface VrrpAddress {
  address: string;
  prefix: number;
  dev: string;
}

/** The VRRP instance's name: one per cluster, so two clusters can share a director. */
export function vrrpInstanceName(ha: Pick<HaSpec, "virtualRouterId">): string {
  return `lvs_panel_${ha.virtualRouterId}`;
}

/**
 * The addresses VRRP moves for a cluster, as they go on `director`: each service's VIP (DR and
 * TUN on the DIP's interface, NAT on the outward one) and the floating gateway on the inside.
 * The panel never adds or removes these with `ip` on a director of such a cluster.
 */
export function vrrpAddresses(spec: Pick<ClusterSpec, "services" | "ha">, director: DirectorSpec) {
  const out: VrrpAddress[] = [];
  const seen = new Set<string>();
  const add = (address: string, prefix: number, dev: string) => {
    const key = `${address}/${prefix} ${dev}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ address, prefix, dev });
  };
  for (const s of spec.services) {
    const vip = canonicalAddress(s.vip);
    if (vip === "0.0.0.0" || vip === "::") continue;
    const prefix = hostPrefix(addressFamily(vip) ?? 4);
    const methods = new Set(s.realservers.map((rs) => realserverForwarding(s, rs)));
    if (methods.size === 0) methods.add(s.forwarding);
    if (methods.has("dr") || methods.has("tun")) add(vip, prefix, director.interface);
    if (methods.has("nat")) add(vip, prefix, director.vipInterface ?? director.interface);
  }
  const gateway = spec.ha?.floatingGateway;
  if (gateway) {
    add(canonicalAddress(gateway), director.dipPrefix ?? DEFAULT_DIP_PREFIX, director.interface);
  }
  return out;
}

/** global_defs lines for a cluster with `ha` (none without). */
export function vrrpGlobalLines(spec: VrrpSpec): string[] {
  const { ha, director } = spec;
  if (!ha || !director) return [];
  return [
    // A master's adverts name only the anchor address; with this a backup also skips comparing
    // even that while the advert comes from the master it already knows, so a VIP list changed
    // on one director before the other (a rolling reload) never makes both master (§6.1).
    "    vrrp_skip_check_adv_addr",
    ...(ha.connectionSync
      ? [
          `    lvs_sync_daemon ${director.interface} ${vrrpInstanceName(ha)} id ${ha.virtualRouterId}`,
        ]
      : []),
  ];
}

/** The cluster's vrrp_instance block for `spec.director` (none without `ha`). */
export function renderVrrpInstance(spec: VrrpSpec, token: (v: string | number) => string) {
  const { ha, director, peer } = spec;
  if (!ha || !director) return [];
  const priority = director.priority ?? 100;
  const highest = !peer || priority > (peer.priority ?? 100);
  const addresses = vrrpAddresses(spec, director);
  // The anchor is the one address adverts carry: the floating gateway when there is one (it
  // changes least), else the lowest VIP. The rest are excluded from adverts (§1.3), so adding
  // or removing a VIP never changes what the two directors compare.
  const gateway = ha.floatingGateway ? canonicalAddress(ha.floatingGateway) : null;
  const sorted = [...addresses].sort((a, b) => a.address.localeCompare(b.address));
  const anchor = sorted.find((a) => a.address === gateway) ?? sorted[0];
  const line = (a: VrrpAddress) =>
    `        ${token(a.address)}/${token(a.prefix)} dev ${token(a.dev)}`;
  const lines = [
    `vrrp_instance ${vrrpInstanceName(ha)} {`,
    // nopreempt needs state BACKUP (§6.1); with preemption the preferred director starts as
    // MASTER, so it takes the addresses at once instead of after 3 adverts of silence.
    `    state ${ha.preempt && highest ? "MASTER" : "BACKUP"}`,
    `    interface ${token(director.interface)}`,
    `    virtual_router_id ${token(ha.virtualRouterId)}`,
    `    priority ${token(priority)}`,
    `    advert_int ${token(ha.advertIntervalSeconds)}`,
    ...(ha.preempt ? [] : ["    nopreempt"]),
  ];
  // Unicast only with a peer: keepalived falls back to multicast (with a warning) without one.
  if (ha.unicast && peer) {
    lines.push(
      `    unicast_src_ip ${token(canonicalAddress(director.dip))}`,
      "    unicast_peer {",
      `        ${token(canonicalAddress(peer.dip))}`,
      "    }",
    );
  }
  const outward = director.vipInterface;
  if (outward && outward !== director.interface) {
    // The NAT VIPs' link is the other half of the service: losing it is a failure too.
    lines.push("    track_interface {", `        ${token(outward)}`, "    }");
  }
  lines.push("    virtual_ipaddress {", ...(anchor ? [line(anchor)] : []), "    }");
  const rest = sorted.filter((a) => a !== anchor);
  if (rest.length > 0) {
    lines.push("    virtual_ipaddress_excluded {", ...rest.map(line), "    }");
  }
  lines.push("}");
  return lines;
}
