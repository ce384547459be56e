// What each host must look like for a cluster spec: the director carries the VIPs (and forwarding
// for NAT); a DR realserver carries the VIPs on lo behind ARP restrictions; a TUN realserver on
// tunl0 behind the same, with reverse-path filtering off; a NAT realserver sends replies for its
// service ports back through the DIP.
import { addressFamily, canonicalAddress, hostPrefix } from "../address.ts";
import {
  type ClusterSpec,
  type RealServerSpec,
  realserverForwarding,
  type ServiceSpec,
} from "../model.ts";
import type { KeptService } from "../plan/ownership.ts";
import { renderIpvsadmRestore, renderNormalizedRestore } from "../render/ipvsadm.ts";
import {
  renderAddressScript,
  renderAddressUnit,
  renderIpvsadmDefaults,
  renderSysctlConf,
} from "../render/persist.ts";
import type { HostFileMemo } from "./file-memo.ts";
import {
  ADDRESS_SCRIPT_FILE,
  ADDRESS_UNIT_FILE,
  addressKey,
  emptyHostState,
  type HostAddress,
  type HostRole,
  type HostState,
  IPVSADM_DEFAULTS_FILE,
  IPVSADM_RULES_FILE,
  LVS_ROUTE_TABLE,
  LVS_RULE_PRIORITY,
  routeKey,
  ruleKey,
  SYSCTL_FILE,
  TUN_SYSCTLS,
  TUNNEL_DEVICE,
} from "./state.ts";

export interface ClusterHostStates {
  director: HostState | null;
  /** By canonical realserver address. */
  realservers: Record<string, HostState>;
}

const DR_ARP_SYSCTLS = {
  "net.ipv4.conf.all.arp_ignore": "1",
  "net.ipv4.conf.all.arp_announce": "2",
  "net.ipv4.conf.lo.arp_ignore": "1",
  "net.ipv4.conf.lo.arp_announce": "2",
};

/** A mark service read back from the kernel has no VIP; there is nothing to place then. */
function placeableVip(s: ServiceSpec): string | null {
  const vip = canonicalAddress(s.vip);
  return vip === "0.0.0.0" || vip === "::" ? null : vip;
}

class HostBuilder {
  readonly state: HostState;
  private readonly seen = new Set<string>();
  /** The keys of everything added, in order. */
  private readonly keys: string[] = [];
  /** DR or TUN with IPv4: the ARP sysctls, set once in finish() rather than once per service. */
  drArp = false;
  /** TUN: rp_filter off (TUN_SYSCTLS), set in finish(). */
  tun = false;
  constructor(readonly role: HostRole) {
    this.state = emptyHostState(role);
  }
  address(dev: string, address: string): void {
    const a = { dev, address, prefix: hostPrefix(addressFamily(address) ?? 4) };
    this.addAddress(a, `a:${addressKey(a)}`);
  }
  /** `a` may be shared between hosts: host states are only read, and copied before a write. */
  addAddress(a: HostAddress, key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.keys.push(key);
    this.state.addresses.push(a);
  }
  add<T>(list: T[], item: T, key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.keys.push(key);
    list.push(item);
  }
  /**
   * Enough to tell most different lists apart cheaply; the memo compares candidates in full
   * (by identity first: hosts share one address object per VIP).
   */
  private signature(): string {
    const k = this.keys;
    return `${k.length}\n${k[0]}\n${k[k.length >> 1]}\n${k[k.length - 1]}`;
  }
  /** Derive the persistent files from the runtime state built so far. */
  /** `restore`: the director's ipvsadm.rules; `keepalived`: keepalived owns the table instead. */
  finish(restore: string | null, memo: HostFileMemo | null, keepalived = false): HostState {
    const s = this.state;
    // The keys exist already (emptyHostState), so assigning keeps their order.
    if (this.drArp) Object.assign(s.sysctls, DR_ARP_SYSCTLS);
    if (this.tun) {
      // tunl0's own setting only where an address brings the device up: there is none to set
      // before `modprobe ipip`.
      const device = s.addresses.some((a) => a.dev === TUNNEL_DEVICE);
      for (const [k, v] of Object.entries(TUN_SYSCTLS)) {
        if (device || !k.includes(`.${TUNNEL_DEVICE}.`)) s.sysctls[k] = v;
      }
    }
    const defaults = emptyHostState(this.role).sysctls;
    const changed = Object.fromEntries(
      Object.entries(s.sysctls).filter(([k, v]) => defaults[k] !== v),
    );
    if (Object.keys(changed).length > 0) s.files[SYSCTL_FILE] = renderSysctlConf(changed);
    if (keepalived) {
      // No rules file to restore, and no restore at boot over keepalived's table.
      s.files[IPVSADM_DEFAULTS_FILE] = renderIpvsadmDefaults(false);
    } else if (restore !== null) {
      s.files[IPVSADM_RULES_FILE] = restore;
      s.files[IPVSADM_DEFAULTS_FILE] = renderIpvsadmDefaults();
    }
    if (s.addresses.length + s.routes.length + s.rules.length > 0) {
      s.files[ADDRESS_SCRIPT_FILE] = memo
        ? memo.addressScript(this.signature(), s)
        : renderAddressScript(s.addresses, s.routes, s.rules);
      s.files[ADDRESS_UNIT_FILE] = renderAddressUnit();
    }
    return s;
  }
}

interface RealserverHost {
  h: HostBuilder;
  address: string;
  family: 4 | 6;
}

/**
 * @param normalized the spec's services already normalized, when the caller has them.
 * @param memo shares rendered files between hosts and between the two sides of a plan.
 * @param kept services on the director the cluster does not own: /etc/ipvsadm.rules holds the
 *   whole table, so a reboot brings them back as well.
 */
export function desiredHostStates(
  spec: ClusterSpec,
  normalized?: ServiceSpec[],
  memo: HostFileMemo | null = null,
  kept: readonly KeptService[] = [],
): ClusterHostStates {
  const d = spec.director;
  const director = d ? new HostBuilder("director") : null;
  const realservers = new Map<string, HostBuilder>();
  // By the address as written: 20,000 realserver entries name a few distinct hosts, so each
  // spelling is canonicalized (and its family looked up) once.
  const byWritten = new Map<string, RealserverHost>();
  const rsHost = (rs: RealServerSpec): RealserverHost => {
    let r = byWritten.get(rs.address);
    if (r) return r;
    const address = canonicalAddress(rs.address);
    let h = realservers.get(address);
    if (!h) {
      h = new HostBuilder("realserver");
      realservers.set(address, h);
    }
    r = { h, address, family: addressFamily(address) ?? 4 };
    byWritten.set(rs.address, r);
    return r;
  };
  for (const s of spec.services) {
    const vip = placeableVip(s);
    // The same VIP goes on lo of every DR realserver of the service: one object and key for all;
    // likewise on tunl0 of every TUN one (IPv4 only: validation refuses TUN with IPv6).
    const lo = vip
      ? { dev: "lo", address: vip, prefix: hostPrefix(addressFamily(vip) ?? 4) }
      : null;
    const loKey = lo ? `a:${addressKey(lo)}` : "";
    const tunl =
      vip && addressFamily(vip) === 4 ? { dev: TUNNEL_DEVICE, address: vip, prefix: 32 } : null;
    const tunlKey = tunl ? `a:${addressKey(tunl)}` : "";
    const methods = new Set(s.realservers.map((rs) => realserverForwarding(s, rs)));
    if (methods.size === 0) methods.add(s.forwarding);
    if (director && d && vip) {
      // DR: the VIP sits beside the DIP on the shared segment. NAT: on the outward interface.
      // TUN as DR: the director only encapsulates towards the realserver, and needs no forwarding.
      // With `ha` keepalived's VRRP puts them there, on the master only (keepalived-vrrp.ts).
      if (!spec.ha && (methods.has("dr") || methods.has("tun"))) {
        director.address(d.interface, vip);
      }
      if (!spec.ha && methods.has("nat")) director.address(d.vipInterface ?? d.interface, vip);
      if (methods.has("nat")) {
        director.state.sysctls[
          addressFamily(vip) === 6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward"
        ] = "1";
      }
    }
    for (const rs of s.realservers) {
      const { h, address, family } = rsHost(rs);
      const method = realserverForwarding(s, rs);
      if (method === "dr") {
        if (lo) h.addAddress(lo, loKey);
        if (family === 4) h.drArp = true;
        continue;
      }
      if (method === "tun") {
        // The VIP on tunl0 takes the decapsulated packets; the ARP restrictions keep the host
        // from answering for it on its real interface, as DR's do.
        if (family !== 4) continue;
        if (tunl) h.addAddress(tunl, tunlKey);
        h.drArp = true;
        h.tun = true;
        continue;
      }
      // NAT return path. A plain `ip route replace default via DIP` would also move the panel's
      // own SSH session (and everything else) onto the director and can cut us off. Instead only
      // replies from the service port (source RIP, ipproto, sport) look up a table of our own
      // whose default route is the DIP; all other traffic keeps the main table.
      // A mark service with port 0 has no source port to select on; a rule for all traffic from
      // the RIP could capture SSH, so none is made (validation warns).
      // A pair's replies go to the floating gateway, which moves with the VIPs.
      const gateway = spec.ha?.floatingGateway ?? d?.dip;
      if (!gateway || addressFamily(gateway) !== family || (s.fwmark != null && rs.port === 0)) {
        continue;
      }
      const route = { family, table: LVS_ROUTE_TABLE, via: canonicalAddress(gateway) };
      h.add(h.state.routes, route, `r:${routeKey(route)}`);
      const rule = {
        family,
        priority: LVS_RULE_PRIORITY,
        from: address,
        table: LVS_ROUTE_TABLE,
        ...(s.fwmark == null ? { ipproto: s.protocol } : {}),
        sport: rs.port,
      };
      h.add(h.state.rules, rule, `u:${ruleKey(rule)}`);
    }
  }
  // Services the cluster does not own still need the director to forward (NAT): never turn
  // forwarding off under them.
  if (director) {
    for (const family of kept.flatMap((k) => k.natFamilies)) {
      director.state.sysctls[
        family === 6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward"
      ] = "1";
    }
  }
  const keepalived = spec.engine === "keepalived";
  const own =
    spec.services.length === 0
      ? ""
      : normalized
        ? (memo?.restore(normalized) ?? renderNormalizedRestore(normalized))
        : renderIpvsadmRestore(spec);
  const restore =
    spec.services.length + kept.length === 0 || keepalived
      ? null
      : kept.length > 0
        ? `${own}${kept.flatMap((k) => k.saveLines).join("\n")}\n`
        : own;
  // keepalived beside services it does not own: the boot-time restore of those stays as the
  // operator set it up (the plan keeps the files as they are), since it is not the panel's.
  const leaveRules = keepalived && kept.length > 0;
  return {
    director: director ? director.finish(restore, memo, keepalived && !leaveRules) : null,
    realservers: Object.fromEntries(
      [...realservers].map(([address, h]) => [address, h.finish(null, memo)]),
    ),
  };
}
