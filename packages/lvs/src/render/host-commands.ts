// argv for the host-level changes (sysctl, addresses, policy routing). Each is idempotent where the
// tool allows it (`ip addr replace`, `ip route replace`), so re-running a step is harmless.
import type { HostAddress, PolicyRule, TableRoute } from "../host/state.ts";

export const hostArgv = {
  sysctl: (key: string, value: string) => ["sysctl", "-w", `${key}=${value}`],
  addAddress: (a: HostAddress) => [
    "ip",
    "addr",
    "replace",
    `${a.address}/${a.prefix}`,
    "dev",
    a.dev,
  ],
  removeAddress: (a: HostAddress) => [
    "ip",
    "addr",
    "del",
    `${a.address}/${a.prefix}`,
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
