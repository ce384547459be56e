// argv for the host-level changes (sysctl, addresses, policy routing). Each is idempotent where the
// tool allows it (`ip addr replace`, `ip route replace`), so re-running a step is harmless.
import type { HostAddress, PolicyRule, TableRoute } from "../host/state.ts";

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
  if (r.ipproto) args.push("ipproto", r.ipproto);
  if (r.sport !== undefined) args.push("sport", String(r.sport));
  args.push("lookup", String(r.table));
  return args;
}
