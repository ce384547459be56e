// Where each VIP goes, in words: the director carries a NAT VIP on its outward interface (its VIP
// interface, else its interface) and a DR or TUN VIP on the realservers' segment beside the DIP;
// DR realservers carry it on lo, TUN ones on tunl0. With failover, keepalived puts it on the same
// interface of whichever director is master. As packages/lvs host/desired.ts and
// render/keepalived-vrrp.ts place them.
import type { Cluster, Director, Service } from "../../api/types.ts";

type PlacedService = Pick<Service, "forwarding" | "vip" | "port" | "fwmark">;
type PlacingDirector = Pick<Director, "interface" | "vipInterface">;

/** The interface of the director that carries this service's VIP. */
function directorInterface(service: PlacedService, director: PlacingDirector): string {
  return service.forwarding === "nat"
    ? (director.vipInterface ?? director.interface)
    : director.interface;
}

/** A mark service imported from a bare `-f 7` names no address: nothing is placed. */
function namesVip(service: PlacedService): boolean {
  return service.vip !== "0.0.0.0" && service.vip !== "::";
}

/**
 * "ext0 on the director", "lan0 on the director, lo on each realserver", "ext0 on the master
 * director (VRRP)"; null for a mark service without a VIP.
 */
export function vipPlacement(
  service: PlacedService,
  director: PlacingDirector | null,
  pair = false,
): string | null {
  if (!namesVip(service)) return null;
  const onDirector = director
    ? `${directorInterface(service, director)} on the ${pair ? "master director (VRRP)" : "director"}`
    : "the director, once it is set";
  if (service.forwarding === "dr") return `${onDirector}, lo on each realserver`;
  if (service.forwarding === "tun") return `${onDirector}, tunl0 on each realserver`;
  return onDirector;
}

/**
 * The director's interfaces and the VIPs each carries: "NAT VIPs 192.168.77.100 on ext0; DR
 * VIP 10.10.0.200 on lan0". Null without a director or a VIP.
 */
export function directorVipSummary(cluster: Pick<Cluster, "director" | "services">): string | null {
  const director = cluster.director;
  if (!director) return null;
  const groups = new Map<string, { methods: Set<string>; vips: Set<string> }>();
  for (const service of cluster.services) {
    if (!namesVip(service)) continue;
    const dev = directorInterface(service, director);
    let group = groups.get(dev);
    if (!group) {
      group = { methods: new Set(), vips: new Set() };
      groups.set(dev, group);
    }
    group.methods.add(service.forwarding.toUpperCase());
    group.vips.add(service.vip);
  }
  if (groups.size === 0) return null;
  return [...groups]
    .map(([dev, { methods, vips }]) => {
      const names = [...vips];
      const shown =
        names.length > 3
          ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`
          : names.join(", ");
      return `${[...methods].join("/")} ${names.length === 1 ? "VIP" : "VIPs"} ${shown} on ${dev}`;
    })
    .join("; ");
}
