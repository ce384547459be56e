// IP arithmetic for the domain, all through ipaddr.js so no hand-written parsing decides whether a
// realserver is inside a subnet.
import ipaddr from "ipaddr.js";
import { isIpAddress } from "./fields.ts";

export type Family = 4 | 6;

export function addressFamily(address: string): Family | null {
  if (!isIpAddress(address)) return null;
  return ipaddr.parse(address).kind() === "ipv4" ? 4 : 6;
}

/** Canonical text (compressed lower-case IPv6, plain dotted quad) so equal addresses compare equal. */
export function canonicalAddress(address: string): string {
  if (!isIpAddress(address)) return address;
  return ipaddr.parse(address).toString();
}

export function hostPrefix(family: Family): number {
  return family === 4 ? 32 : 128;
}

/** True when `address` lies in `network/prefix`; false for mixed families or bad input. */
export function inSubnet(address: string, network: string, prefix: number): boolean {
  if (!isIpAddress(address) || !isIpAddress(network)) return false;
  const a = ipaddr.parse(address);
  const n = ipaddr.parse(network);
  if (a.kind() !== n.kind()) return false;
  const max = a.kind() === "ipv4" ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return false;
  return a.match(n, prefix);
}

/** `ip:port` the way ipvsadm writes it: IPv6 in brackets. */
export function formatEndpoint(address: string, port: number): string {
  return addressFamily(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Split ipvsadm's `a.b.c.d:port` / `[v6]:port`; null when it is not that shape. */
export function parseEndpoint(text: string): { address: string; port: number } | null {
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const close = text.indexOf("]:");
    if (close < 0) return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0 || text.indexOf(":") !== colon) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535 || !isIpAddress(host)) return null;
  return { address: canonicalAddress(host), port };
}

/** Dotted-quad netmask → prefix length, or null when the mask is not contiguous. */
export function netmaskToPrefix(mask: string): number | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(mask)) return null;
  return ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
}
