// IP arithmetic for the domain, all through ipaddr.js so no hand-written parsing decides whether a
// realserver is inside a subnet.
import ipaddr from "ipaddr.js";
import { isIpAddress } from "./fields.ts";

export type Family = 4 | 6;

interface Analysis {
  family: Family | null;
  canonical: string;
  parsed: ipaddr.IPv4 | ipaddr.IPv6 | null;
}

// A plan of 1,000 services x 20 realservers looks the same few hundred addresses up tens of
// thousands of times; ipaddr.js parsing dominated its profile. Bounded so it cannot grow forever.
const analyses = new Map<string, Analysis>();
const ANALYSIS_CACHE_LIMIT = 50_000;

function analyse(address: string): Analysis {
  let a = analyses.get(address);
  if (a) return a;
  if (!isIpAddress(address)) a = { family: null, canonical: address, parsed: null };
  else {
    const parsed = ipaddr.parse(address);
    a = { family: parsed.kind() === "ipv4" ? 4 : 6, canonical: parsed.toString(), parsed };
  }
  if (analyses.size >= ANALYSIS_CACHE_LIMIT) analyses.clear();
  analyses.set(address, a);
  return a;
}

/** 4 or 6 for a valid address (no zone, no prefix, no surrounding spaces), else null. */
export function addressFamily(address: string): Family | null {
  return analyse(address).family;
}

/** Canonical text (compressed lower-case IPv6, plain dotted quad) so equal addresses compare equal. */
export function canonicalAddress(address: string): string {
  return analyse(address).canonical;
}

export function hostPrefix(family: Family): number {
  return family === 4 ? 32 : 128;
}

/** True when `address` lies in `network/prefix`; false for mixed families or bad input. */
export function inSubnet(address: string, network: string, prefix: number): boolean {
  const a = analyse(address);
  const n = analyse(network);
  if (!a.parsed || !n.parsed || a.family !== n.family) return false;
  const max = a.family === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return false;
  // Same kind checked above, so the overload pairing is sound.
  return (a.parsed as ipaddr.IPv4).match(n.parsed as ipaddr.IPv4, prefix);
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
  if (port > 65535 || addressFamily(host) === null) return null;
  return { address: canonicalAddress(host), port };
}

/** Dotted-quad netmask → prefix length, or null when the mask is not contiguous. */
export function netmaskToPrefix(mask: string): number | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(mask)) return null;
  return ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
}
