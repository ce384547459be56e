// argv for the host-level changes (sysctl, addresses, policy routing). Each is idempotent where the
// tool allows it (`ip addr replace`, `ip route replace`), so re-running a step is harmless.
import {
  type HostAddress,
  IP_PROTOCOL_NUMBERS,
  type PolicyRule,
  type TableRoute,
} from "../host/state.ts";

export const hostArgv = {
  sysctl: (key: string, value: string) => ["sysctl", "-w", `${key}=${value}`],
  // `cidr` is `${a.address}/${a.prefix}`, passed by a caller that has it already.
  addAddress: (a: HostAddress, cidr = `${a.address}/${a.prefix}`) => [
    "ip",
    "addr",
    "replace",
    cidr,
    "dev",
    a.dev,
  ],
  removeAddress: (a: HostAddress, cidr = `${a.address}/${a.prefix}`) => [
    "ip",
    "addr",
    "del",
    cidr,
    "dev",
    a.dev,
  ],
  addRoute: (r: TableRoute) => [
    "ip",
    `-${r.family}`,
    "route",
    "replace",
    "default",
    "via",
    r.via,
    "table",
    String(r.table),
  ],
  removeRoute: (r: TableRoute) => [
    "ip",
    `-${r.family}`,
    "route",
    "del",
    "default",
    "via",
    r.via,
    "table",
    String(r.table),
  ],
  addRule: (r: PolicyRule) => ["ip", `-${r.family}`, "rule", "add", ...ruleSelector(r)],
  removeRule: (r: PolicyRule) => ["ip", `-${r.family}`, "rule", "del", ...ruleSelector(r)],
};

function ruleSelector(r: PolicyRule): string[] {
  const args = ["priority", String(r.priority), "from", r.from];
  // By number: iproute2 resolves names through /etc/protocols, which minimal hosts (no netbase)
  // lack, and there `ipproto tcp` is refused.
  if (r.ipproto !== undefined) args.push("ipproto", ruleProtocolArg(r.ipproto));
  if (r.sport !== undefined) args.push("sport", String(r.sport));
  args.push("lookup", String(r.table));
  return args;
}

/** A known protocol as its number; anything else as the host printed it (it can read it back). */
export function ruleProtocolArg(p: NonNullable<PolicyRule["ipproto"]>): string {
  if (typeof p === "number") return String(p);
  return Object.hasOwn(IP_PROTOCOL_NUMBERS, p)
    ? String(IP_PROTOCOL_NUMBERS[p as keyof typeof IP_PROTOCOL_NUMBERS])
    : p;
}
