// What the panel manages on a host besides the IPVS table: sysctls, VIP addresses, the NAT return
// route (a policy rule plus a route in a table of our own) and persistent files. Desired and
// read-back state share this shape so the plan diffs them directly.

export interface HostAddress {
  dev: string;
  address: string;
  prefix: number;
}

/** The IP protocols a rule may select, with their IANA numbers. */
export const IP_PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;
export type IpProtocolName = keyof typeof IP_PROTOCOL_NUMBERS;

/** `ip rule`: traffic from a NAT realserver's service port looks up the LVS table. */
export interface PolicyRule {
  family: 4 | 6;
  priority: number;
  from: string;
  /**
   * By name when it is one of IP_PROTOCOL_NUMBERS (however the host printed it); otherwise as
   * read back from a host: a number, or a name from that host's /etc/protocols.
   */
  ipproto?: IpProtocolName | number | string;
  sport?: number;
  table: number;
}

/** A route in the LVS table: default via the director's DIP. */
export interface TableRoute {
  family: 4 | 6;
  table: number;
  via: string;
}

export interface HostState {
  sysctls: Record<string, string>;
  addresses: HostAddress[];
  rules: PolicyRule[];
  routes: TableRoute[];
  /** Managed files present on the host, by path. */
  files: Record<string, string>;
}

/** Routing table and rule priority owned by the panel (unused by distributions' defaults). */
export const LVS_ROUTE_TABLE = 4100;
export const LVS_RULE_PRIORITY = 4100;

/** Director sysctls and their kernel defaults (restored when no NAT service needs forwarding). */
export const DIRECTOR_SYSCTLS: Readonly<Record<string, string>> = {
  "net.ipv4.ip_forward": "0",
  "net.ipv6.conf.all.forwarding": "0",
};

/** Realserver sysctls for DR (and TUN) and their kernel defaults. */
export const REALSERVER_SYSCTLS: Readonly<Record<string, string>> = {
  "net.ipv4.conf.all.arp_ignore": "0",
  "net.ipv4.conf.all.arp_announce": "0",
  "net.ipv4.conf.lo.arp_ignore": "0",
  "net.ipv4.conf.lo.arp_announce": "0",
};

/** The ipip fallback device: `modprobe ipip` creates it, and a TUN realserver's VIPs go on it. */
export const TUNNEL_DEVICE = "tunl0";

/**
 * What a TUN realserver needs besides DR's ARP restrictions: reverse-path filtering off. The
 * tunnel hands over packets from clients the host routes out of another interface, which strict
 * filtering drops; the kernel filters by the larger of `all` and the device's value, so both are 0.
 *
 * Unlike REALSERVER_SYSCTLS these have no default the panel puts back. Distributions set rp_filter
 * differently (Debian 12 keeps the kernel's 0 everywhere: its systemd ships no 50-default.conf;
 * Ubuntu sets `all` to 2; Fedora and RHEL set devices to 1 or 2), and the value is part of a
 * host's protection against spoofed sources: forcing any one "default" on every realserver would
 * change hosts that never carry TUN. So they are the panel's only on a host with a TUN realserver;
 * elsewhere they are read (a rollback restores what was read) but never set, and when TUN leaves a
 * host they stay as they are until its next boot, when the panel's sysctl.d file no longer names
 * them and the distribution's values come back.
 */
export const TUN_SYSCTLS: Readonly<Record<string, string>> = {
  "net.ipv4.conf.all.rp_filter": "0",
  [`net.ipv4.conf.${TUNNEL_DEVICE}.rp_filter`]: "0",
};

export const SYSCTL_FILE = "/etc/sysctl.d/90-lvs-panel.conf";
export const IPVSADM_RULES_FILE = "/etc/ipvsadm.rules";
export const IPVSADM_DEFAULTS_FILE = "/etc/default/ipvsadm";
export const ADDRESS_SCRIPT_FILE = "/etc/lvs-panel/addresses.sh";
/**
 * keepalived's configuration on a director of the keepalived engine (Debian's unit reads this
 * path). Not in MANAGED_FILES: a director of the ipvsadm engine may run the operator's own
 * keepalived, whose file the panel must never remove; the keepalived engine reads and writes it.
 */
export const KEEPALIVED_CONF_FILE = "/etc/keepalived/keepalived.conf";
export const KEEPALIVED_PID_FILE = "/run/keepalived.pid";
export const ADDRESS_UNIT_NAME = "lvs-panel-addresses.service";
export const ADDRESS_UNIT_FILE = `/etc/systemd/system/${ADDRESS_UNIT_NAME}`;

/** Every file the panel may write, in the order they are written (script before its unit). */
export const MANAGED_FILES = [
  SYSCTL_FILE,
  IPVSADM_RULES_FILE,
  IPVSADM_DEFAULTS_FILE,
  ADDRESS_SCRIPT_FILE,
  ADDRESS_UNIT_FILE,
] as const;

export type HostRole = "director" | "realserver";

export function emptyHostState(role: HostRole): HostState {
  return {
    sysctls: { ...(role === "director" ? DIRECTOR_SYSCTLS : REALSERVER_SYSCTLS) },
    addresses: [],
    rules: [],
    routes: [],
    files: {},
  };
}

export function addressKey(a: HostAddress): string {
  return `${a.dev}|${a.address}/${a.prefix}`;
}

export function ruleKey(r: PolicyRule): string {
  return `${r.family}|${r.priority}|${r.from}|${r.ipproto ?? ""}|${r.sport ?? ""}|${r.table}`;
}

export function routeKey(r: TableRoute): string {
  return `${r.family}|${r.table}|${r.via}`;
}
