// Keyword values as keepalived 2.2.7 takes them (read_unsigned, read_timer, check_true_false), and
// the refusal that carries why a virtual_server cannot be imported out of however deep it arose.
import { canonicalAddress } from "../../address.ts";
import { type Forwarding, isIpAddress } from "../../fields.ts";
import type { Statement } from "./blocks.ts";

export class Refusal {
  constructor(readonly reason: string) {}
}

export function refuse(reason: string): never {
  throw new Refusal(reason);
}

export function uint(st: Statement, max: number, index = 1): number {
  const v = st.words[index];
  if (v === undefined || !/^\d+$/.test(v) || Number(v) > max) {
    refuse(`${st.words[0]} ${v ?? ""} at line ${st.line} is not a whole number up to ${max}`);
  }
  return Number(v);
}

/** A <TIMER>: seconds, which may be fractional (µs resolution). */
export function seconds(st: Statement): number {
  const v = st.words[1] ?? "";
  if (!/^\d+(\.\d{1,6})?$/.test(v)) {
    refuse(`${st.words[0]} ${v} at line ${st.line} is not a number of seconds`);
  }
  return Number(v);
}

/** Absent means on, as in keepalived. */
export function flag(st: Statement): boolean {
  const v = st.words[1];
  if (v === undefined || ["true", "on", "yes"].includes(v)) return true;
  if (["false", "off", "no"].includes(v)) return false;
  return refuse(`${st.words[0]} ${v} at line ${st.line} is not yes or no`);
}

export function method(st: Statement): Forwarding {
  const v = st.words[1];
  if (v === "NAT") return "nat";
  if (v === "DR") return "dr";
  if (v === "TUN") return "tun";
  return refuse(`${st.words[0]} ${v ?? ""} at line ${st.line} is not NAT, DR or TUN`);
}

export function address(st: Statement, v: string | undefined): string {
  if (v === undefined || !isIpAddress(v)) {
    refuse(`${st.words[0]} at line ${st.line}: ${v ?? "(none)"} is not an IP address`);
  }
  return canonicalAddress(v);
}

/** A port word, or null when left out or 0 (keepalived's "no port"). */
export function optionalPort(st: Statement, index: number): number | null {
  return st.words[index] === undefined ? null : uint(st, 65535, index) || null;
}

/** Seconds as a note says them: 1.5, not 1.5000000000000002. */
export function secondsText(n: number): string {
  return `${Number(n.toFixed(6))} s`;
}
