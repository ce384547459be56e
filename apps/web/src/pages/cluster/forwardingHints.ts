// What happens on a service's realservers for its forwarding method, in words: what the panel
// does itself on managed realservers, and what must be set up by hand on the others. Counts, not
// addresses: the rows right above name them, and a service may have hundreds.
import type { Service } from "../../api/types.ts";
import { formatEndpoint } from "../../lib/format.ts";

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "the managed realserver" / "the 3 managed realservers". */
function those(count: number, what: string): string {
  return count === 1 ? `the ${what} realserver` : `the ${count} ${what} realservers`;
}

/**
 * One sentence per group of realservers (managed, by hand). `dip` is the director's DIP, when
 * a director is set.
 */
export function forwardingHints(
  service: Pick<Service, "forwarding" | "vip" | "port" | "realservers">,
  dip: string | null,
): string[] {
  const unique = (xs: string[]) => [...new Set(xs)];
  const managed = unique(service.realservers.filter((r) => r.hostId).map((r) => r.address));
  const byHand = unique(service.realservers.filter((r) => !r.hostId).map((r) => r.address));
  const through = dip ? `the DIP ${dip}` : "the director's DIP";
  const hints: string[] = [];
  if (service.forwarding === "nat") {
    if (managed.length > 0) {
      const ports = unique(service.realservers.filter((r) => r.hostId).map((r) => String(r.port)));
      hints.push(
        `NAT: on ${those(managed.length, "managed")} the panel routes the service's replies (from port ${list(ports)}) back through ${through} with a policy rule of its own; the default gateway and all other traffic are left alone.`,
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
