// What happens on a service's realservers for its forwarding method, in words: what the panel
// does itself on managed realservers, and what must be set up by hand on the others. Counts, not
// addresses: the rows right above name them, and a service may have hundreds.
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

/**
 * One sentence per group of realservers (managed, by hand). `dip` is the director's DIP, when
 * a director is set. `fwmark` is set (> 0) on a firewall-mark service.
 */
export function forwardingHints(
  service: Pick<Service, "forwarding" | "vip" | "port" | "realservers"> & {
    fwmark?: number | null;
  },
  dip: string | null,
): string[] {
  const unique = (xs: string[]) => [...new Set(xs)];
  const managed = unique(service.realservers.filter((r) => r.hostId).map((r) => r.address));
  const byHand = unique(service.realservers.filter((r) => !r.hostId).map((r) => r.address));
  const through = dip ? `the DIP ${dip}` : "the director's DIP";
  const hints: string[] = [];
  if (service.forwarding === "nat") {
    const markService = (service.fwmark ?? 0) > 0;
    const dipFamily = dip ? addressFamily(dip) : null;
    const managedRs = service.realservers.filter((r) => r.hostId);
    const where = (why: ReturnType<typeof noReplyRoute>) =>
      managedRs.filter((r) => noReplyRoute(r, markService, dipFamily) === why);
    const routed = where(null);
    if (routed.length > 0) {
      const addresses = unique(routed.map((r) => r.address));
      const ports = unique(routed.map((r) => String(r.port)));
      hints.push(
        `NAT: on ${those(addresses.length, "managed")} the panel routes the service's replies (from port ${list(ports)}) back through ${through} with a policy rule of its own; the default gateway and all other traffic are left alone.`,
      );
    }
    const otherFamily = unique(where("family").map((r) => r.address));
    if (otherFamily.length > 0 && dipFamily !== null) {
      const family = dipFamily === 4 ? 6 : 4;
      hints.push(
        `NAT: on ${those(otherFamily.length, `managed IPv${family}`)} the panel adds no reply route, as ${through} is IPv${dipFamily}: set up by hand that replies go back through the director's IPv${family} address, for example as the default gateway.`,
      );
    }
    const portless = unique(where("port0").map((r) => r.address));
    if (portless.length > 0) {
      hints.push(
        `NAT: on ${those(portless.length, "managed")} on port 0 the panel adds no reply route (without a port it cannot tell the service's replies from the rest, SSH included): set up by hand that replies go back through ${through}, for example as the default gateway, or give ${portless.length === 1 ? "it" : "them"} a port.`,
      );
    }
    if (byHand.length > 0) {
      hints.push(
        `NAT: on ${those(byHand.length, "unmanaged")} (no managed host), set up by hand that replies go back through ${through}, for example as the default gateway.`,
      );
    }
    if (service.realservers.length === 0) {
      hints.push(
        `NAT: on each managed realserver the panel routes the service's replies back through ${through}.`,
      );
    }
    return hints;
  }
  // A mark service imported from a bare `-f 7` names no address: the panel places nothing on lo.
  if (service.vip === "0.0.0.0" || service.vip === "::") {
    return service.realservers.length === 0
      ? []
      : [
          `DR: FWM ${service.fwmark ?? ""} names no VIP, so the panel puts no address on lo: on every realserver, put the addresses the mark covers on lo and set arp_ignore=1 and arp_announce=2 by hand.`,
        ];
  }
  const vip = formatEndpoint(service.vip, service.port);
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
