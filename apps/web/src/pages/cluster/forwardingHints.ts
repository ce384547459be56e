// What happens on a service's realservers for its forwarding method, in words: what the panel
// does itself on managed realservers, and what must be set up by hand on the others. NAT names
// the realservers (the first few of a long list) and where their replies go; DR and TUN, the
// same for all, count them. What the panel does is what packages/lvs host/desired.ts plans: NAT
// a policy route for the service's replies, DR the VIP on lo behind ARP restrictions, TUN the
// VIP on tunl0 behind the same with rp_filter off.
import { addressFamily, type Family, formatEndpoint } from "@lvs-panel/lvs";
import type { RealServer, Service } from "../../api/types.ts";

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "the managed realserver" / "the 3 managed realservers". */
function those(count: number, what: string): string {
  return count === 1 ? `the ${what} realserver` : `the ${count} ${what} realservers`;
}

/**
 * Why the panel adds no NAT reply route on a managed realserver, or null when it adds one: the
 * same conditions as the routes it plans (packages/lvs host/desired.ts). A DIP of the other family
 * cannot be a next hop; a mark service's realserver on port 0 has no source port to select its
 * replies by, and a rule for all its traffic could capture the panel's own SSH.
 */
function noReplyRoute(
  rs: Pick<RealServer, "address" | "port">,
  markService: boolean,
  dipFamily: Family | null,
): "family" | "port0" | null {
  if (dipFamily !== null && addressFamily(rs.address) !== dipFamily) return "family";
  if (markService && rs.port === 0) return "port0";
  return null;
}

type HintedService = Pick<Service, "forwarding" | "vip" | "port" | "realservers"> & {
  fwmark?: number | null;
};

/** "192.0.2.10:80", or for a mark service "the packets marked 7 for 192.0.2.10" (its port is 0). */
function traffic(service: HintedService): string {
  return (service.fwmark ?? 0) > 0
    ? `the packets marked ${service.fwmark} for ${service.vip}`
    : formatEndpoint(service.vip, service.port);
}

/** True for a mark service imported from a bare `-f 7`: it names no address to place. */
function namesNoVip(service: HintedService): boolean {
  return service.vip === "0.0.0.0" || service.vip === "::";
}

/** "10.10.0.11", "10.10.0.11 and 10.10.0.12", "10.10.0.11, … and 4 more": a hint stays a line. */
function addressList(addresses: string[]): string {
  const shown = 4;
  if (addresses.length <= shown + 1) return list(addresses);
  return `${addresses.slice(0, shown).join(", ")} and ${addresses.length - shown} more`;
}

/**
 * One sentence per group of realservers (managed, by hand). `dip` is the director's DIP, when
 * a director is set; `floatingGateway` a director pair's NAT gateway (it moves with the VIPs),
 * which the realservers' return route points at instead. `fwmark` is set (> 0) on a
 * firewall-mark service.
 */
export function forwardingHints(
  service: HintedService,
  dip: string | null,
  floatingGateway: string | null = null,
): string[] {
  const unique = (xs: string[]) => [...new Set(xs)];
  const managed = unique(service.realservers.filter((r) => r.hostId).map((r) => r.address));
  const byHand = unique(service.realservers.filter((r) => !r.hostId).map((r) => r.address));
  const through = dip ? `the DIP ${dip}` : "the director's DIP";
  const hints: string[] = [];
  if (service.forwarding === "nat") {
    const gateway = floatingGateway ?? dip;
    const via = floatingGateway
      ? `the floating gateway ${floatingGateway} (it moves with the VIPs to the active director)`
      : through;
    const markService = (service.fwmark ?? 0) > 0;
    const dipFamily = gateway ? addressFamily(gateway) : null;
    const managedRs = service.realservers.filter((r) => r.hostId);
    const where = (why: ReturnType<typeof noReplyRoute>) =>
      managedRs.filter((r) => noReplyRoute(r, markService, dipFamily) === why);
    const routed = where(null);
    // Per port: the rule selects the service's replies by their source port.
    for (const port of unique(routed.map((r) => String(r.port)))) {
      const addresses = unique(routed.filter((r) => String(r.port) === port).map((r) => r.address));
      hints.push(
        `NAT: on ${addressList(addresses)} the panel adds a policy route: replies from port ${port} go back through ${via}; the default gateway and all other traffic (SSH included) are left alone.`,
      );
    }
    const otherFamily = unique(where("family").map((r) => r.address));
    if (otherFamily.length > 0 && dipFamily !== null) {
      const family = dipFamily === 4 ? 6 : 4;
      hints.push(
        `NAT: on ${addressList(otherFamily)} the panel adds no reply route, as ${floatingGateway ? `the floating gateway ${floatingGateway}` : through} is IPv${dipFamily}: set up by hand that replies go back through the director's IPv${family} address, for example as the default gateway.`,
      );
    }
    const portless = unique(where("port0").map((r) => r.address));
    if (portless.length > 0) {
      hints.push(
        `NAT: on ${addressList(portless)} (port 0) the panel adds no reply route (without a port it cannot tell the service's replies from the rest, SSH included): set up by hand that replies go back through ${via}, for example as the default gateway, or give ${portless.length === 1 ? "it" : "them"} a port.`,
      );
    }
    if (byHand.length > 0) {
      hints.push(
        `NAT: ${addressList(byHand)} ${byHand.length === 1 ? "has" : "have"} no managed host: set up by hand that replies go back through ${via}, for example as the default gateway.`,
      );
    }
    if (service.realservers.length === 0) {
      hints.push(
        `NAT: on each managed realserver the panel adds a policy route so the service's replies go back through ${via}.`,
      );
    }
    return hints;
  }
  if (service.forwarding === "tun") return tunHints(service, managed.length, byHand.length);
  // A mark service imported from a bare `-f 7` names no address: the panel places nothing on lo.
  if (namesNoVip(service)) {
    return service.realservers.length === 0
      ? []
      : [
          `DR: FWM ${service.fwmark ?? ""} names no VIP, so the panel puts no address on lo: on every realserver, put the addresses the mark covers on lo and set arp_ignore=1 and arp_announce=2 by hand.`,
        ];
  }
  const vip = traffic(service);
  if (managed.length > 0) {
    hints.push(
      `DR: on ${those(managed.length, "managed")} the panel puts ${service.vip} on lo and sets arp_ignore=1 and arp_announce=2, so they accept ${vip} without answering ARP for it.`,
    );
  }
  if (byHand.length > 0) {
    hints.push(
      `DR: on ${those(byHand.length, "unmanaged")} (no managed host), put ${service.vip} on lo and set arp_ignore=1 and arp_announce=2 by hand; ports must match.`,
    );
  }
  if (service.realservers.length === 0) {
    hints.push(
      "DR: on each managed realserver the panel puts the VIP on lo and suppresses ARP for it; ports must match.",
    );
  }
  return hints;
}

/**
 * TUN: each realserver takes the director's IP-in-IP packets off tunl0 (the ipip module's device)
 * with the VIP on it; rp_filter must be off, as the inner packets come from clients it would route
 * out of another interface, and DR's ARP restrictions keep it from answering ARP for the VIP.
 */
function tunHints(service: HintedService, managed: number, byHand: number): string[] {
  const ports = (service.fwmark ?? 0) > 0 ? "" : "; ports must match";
  const arp = "the ARP restrictions (arp_ignore=1, arp_announce=2)";
  if (namesNoVip(service)) {
    if (service.realservers.length === 0) return [];
    const hints = [
      `TUN: FWM ${service.fwmark ?? ""} names no VIP, so the panel puts no address on tunl0: on every realserver, load ipip (modprobe ipip), bring tunl0 up with the addresses the mark covers and turn its rp_filter off by hand.`,
    ];
    if (managed > 0) {
      hints.push(
        `TUN: on ${those(managed, "managed")} the panel turns rp_filter off and sets ${arp}.`,
      );
    }
    if (byHand > 0) {
      hints.push(
        `TUN: on ${those(byHand, "unmanaged")} (no managed host), also set net.ipv4.conf.all.rp_filter=0, arp_ignore=1 and arp_announce=2 by hand.`,
      );
    }
    return hints;
  }
  const hints: string[] = [];
  if (managed > 0) {
    hints.push(
      `TUN: on ${those(managed, "managed")} the panel puts the VIP ${service.vip} on tunl0 (ipip), turns rp_filter off and sets ${arp}, so they take ${traffic(service)} out of the tunnel and answer clients directly.`,
    );
  }
  if (byHand > 0) {
    hints.push(
      `TUN: on ${those(byHand, "unmanaged")} (no managed host), by hand: load ipip (modprobe ipip), bring tunl0 up with ${service.vip}/32 on it, set rp_filter=0 for all and tunl0, and set arp_ignore=1 and arp_announce=2${ports}.`,
    );
  }
  if (service.realservers.length === 0) {
    hints.push(
      `TUN: on each managed realserver the panel puts the VIP on tunl0 (ipip), turns rp_filter off and sets the ARP restrictions${ports}.`,
    );
  }
  return hints;
}
