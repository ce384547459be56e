// A host's interfaces and their addresses, for the director dialog to offer instead of a guessed
// `eth0`: the read-back's `ip -o addr show` parser, grouped by interface.
import { addressFamily, type Family, hostPrefix } from "../address.ts";
import { parseIpAddrShow } from "./parse.ts";

export interface InterfaceAddress {
  address: string;
  prefix: number;
  family: Family;
}

export interface HostInterface {
  name: string;
  addresses: InterfaceAddress[];
}

// Older iproute2 (and `ip -o addr` on some builds) also lists each link, so an interface with no
// address yet still shows: "3: eth1: <BROADCAST,MULTICAST> mtu 1500 …" or "4: veth7@if6: <…>".
const LINK_LINE = /^\s*\d+:\s+([^\s:@]+)(?:@\S+)?:\s+</;

/**
 * Interfaces in the order the host lists them, each with its addresses. Lines that are neither an
 * address nor a link (noise, a truncated last line) are skipped: the result only offers choices,
 * and the operator can still type any name.
 */
export function parseInterfaces(text: string): HostInterface[] {
  const byName = new Map<string, HostInterface>();
  const named = (name: string) => {
    let entry = byName.get(name);
    if (!entry) {
      entry = { name, addresses: [] };
      byName.set(name, entry);
    }
    return entry;
  };
  for (const line of text.split("\n")) {
    const link = LINK_LINE.exec(line);
    if (link?.[1]) {
      named(link[1]);
      continue;
    }
    // One line at a time through the read-back's parser, so the host's order is kept.
    const [address] = parseIpAddrShow(line).value;
    const family = address ? addressFamily(address.address) : null;
    if (address && family !== null && address.prefix <= hostPrefix(family)) {
      named(address.dev).addresses.push({
        address: address.address,
        prefix: address.prefix,
        family,
      });
    }
  }
  return [...byName.values()];
}
