// argv for the host-level changes (sysctl, addresses, policy routing). Each is idempotent where the
// tool allows it (`ip addr replace`, `ip route replace`), so re-running a step is harmless.
import {
  type HostAddress,
  IP_PROTOCOL_NUMBERS,
  type PolicyRule,
  type TableRoute,
  TUN_SYSCTLS,
  TUNNEL_DEVICE,
} from "../host/state.ts";
import { argvToShell } from "./shell-quote.ts";

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

const TUNNEL_SYSFS = `/sys/class/net/${TUNNEL_DEVICE}`;
const TUNNEL_RP_FILTER = `net.ipv4.conf.${TUNNEL_DEVICE}.rp_filter`;

/**
 * Shell condition: tunl0 is there, once the ipip module that creates it is loaded. `test` is a
 * builtin, so a host that has the device already pays no process for the check; the second test
 * catches a module that loads without creating it (a network namespace that keeps fallback
 * tunnels to the initial one: net.core.fb_tunnels_only_for_init_net).
 */
function tunnelPresent(): string {
  const present = argvToShell(["test", "-e", TUNNEL_SYSFS]);
  return `${present} || ${argvToShell(["modprobe", "ipip"])} && ${present}`;
}

/**
 * The step that puts an address on tunl0 (a TUN realserver's VIP): the device exists only once
 * the ipip module is loaded and stays down until set up, so the step sees to both first, and says
 * plainly when the host cannot have it. Every part is idempotent, like `ip addr replace` itself.
 */
export function tunnelAddressScript(a: HostAddress, cidr = `${a.address}/${a.prefix}`): string {
  return [
    `if ${tunnelPresent()}`,
    `then ${argvToShell(["ip", "link", "set", TUNNEL_DEVICE, "up"])} && ${argvToShell(hostArgv.addAddress(a, cidr))}`,
    `else ${argvToShell(["echo", `TUN forwarding needs the ${TUNNEL_DEVICE} device of the ipip kernel module, and this host cannot load it (modprobe ipip)`])}; false`,
    "fi",
  ].join("\n");
}

/**
 * The address script's line before its tunl0 addresses, at boot: the device comes up, and its
 * rp_filter goes off here because systemd-sysctl applied the sysctl.d file before the device
 * existed. Without the module the line does nothing, and the address lines after it fail alone.
 */
export function tunnelBootLine(): string {
  const value = TUN_SYSCTLS[TUNNEL_RP_FILTER] ?? "0";
  return `if ${tunnelPresent()}; then ${argvToShell(["ip", "link", "set", TUNNEL_DEVICE, "up"])}; ${argvToShell(["sysctl", "-q", "-w", `${TUNNEL_RP_FILTER}=${value}`])}; fi`;
}
