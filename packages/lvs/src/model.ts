// The desired state of one LVS cluster, as the API stores it and the web edits it. Live state read
// back from hosts is converted to the same shapes so the plan can diff like with like.
import type { Forwarding, Protocol, Scheduler } from "./fields.ts";
import type { FailureAction, HealthCheck, SorryServer } from "./health-check.ts";

export interface RealServerSpec {
  address: string;
  port: number;
  weight: number;
  /**
   * A disabled realserver stays in the IPVS table with weight 0 (quiesced): new connections go
   * elsewhere while established ones finish, which is what operators mean by "take it out".
   */
  enabled: boolean;
  upperThreshold?: number;
  lowerThreshold?: number;
  hostId?: string | null;
  /**
   * Only set on live state when the kernel has a forwarding method for this realserver that
   * differs from its service's (ipvsadm allows per-realserver methods); desired state leaves it out.
   */
  forwarding?: Forwarding;
  /** The port the health check connects to instead of `port` (keepalived's `connect_port`). */
  checkPort?: number | null;
}

export interface ServiceSpec {
  protocol: Protocol;
  vip: string;
  port: number;
  scheduler: Scheduler;
  schedulerFlags?: string[];
  persistence?: number | null;
  persistenceNetmask?: string | null;
  forwarding: Forwarding;
  realservers: RealServerSpec[];
  /**
   * A firewall-mark service (`-f`): matched by mark, not by protocol/VIP/port. `vip` then only says
   * which address the mark covers (it is still placed on hosts) and `port` is 0.
   */
  fwmark?: number | null;
  /** keepalived engine only; absent: DEFAULT_HEALTH_CHECK. The kernel never sees these. */
  healthCheck?: HealthCheck;
  onFailure?: FailureAction;
  sorryServer?: SorryServer | null;
}

export interface DirectorSpec {
  dip: string;
  interface: string;
  /** Prefix length of the DIP's network; realservers in DR must be inside it. Default 24. */
  dipPrefix?: number;
  /** Outward interface that carries the VIPs in NAT (two-NIC setup); defaults to `interface`. */
  vipInterface?: string;
  /** VRRP priority (1-254) when the cluster has `ha`; the higher one is the master. */
  priority?: number;
}

/**
 * Director failover through keepalived's VRRP (shared/docs/keepalived.md §4): the VIPs (and the
 * NAT floating gateway) are addresses of one VRRP instance, held only by the MASTER director.
 */
export interface HaSpec {
  /** VRRP virtual router id, 1-255: unique per segment. */
  virtualRouterId: number;
  advertIntervalSeconds: number;
  /** Adverts to the peer's DIP instead of multicast 224.0.0.18 (clouds, VMs). */
  unicast: boolean;
  /** The higher priority takes the VIPs back when it returns (false: `nopreempt`). */
  preempt: boolean;
  /**
   * NAT: an address on the inside segment that moves with the VIPs; the realservers' return
   * route points at it, so replies follow whichever director is master.
   */
  floatingGateway?: string | null;
  /** IPVS connection sync (`lvs_sync_daemon`): the backup holds the master's connections. */
  connectionSync: boolean;
}

/** Who owns the director's IPVS table: the panel through ipvsadm, or keepalived. */
export const ENGINES = ["ipvsadm", "keepalived"] as const;
export type Engine = (typeof ENGINES)[number];

export interface ClusterSpec {
  /** Absent: ipvsadm. */
  engine?: Engine;
  director: DirectorSpec | null;
  /** The second director of a VRRP pair (requires `ha`); absent: one director. */
  peer?: DirectorSpec | null;
  /** VRRP settings (keepalived engine); absent: the VIPs are added to the director with `ip`. */
  ha?: HaSpec | null;
  services: ServiceSpec[];
}

/** A validation finding; `field` is a path like "services[0].realservers[1].port". */
export interface Issue {
  code: string;
  field: string;
  message: string;
}

export const DEFAULT_DIP_PREFIX = 24;

/** The forwarding method the kernel applies to this realserver. */
export function realserverForwarding(service: ServiceSpec, rs: RealServerSpec): Forwarding {
  return rs.forwarding ?? service.forwarding;
}

/** The weight the kernel holds: disabled realservers are quiesced at 0. */
export function effectiveWeight(rs: RealServerSpec): number {
  return rs.enabled ? rs.weight : 0;
}
