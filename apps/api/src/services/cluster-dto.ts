// The JSON shape of a cluster as the API returns it (and the desired state the domain validates).
import {
  type ClusterSpec,
  DEFAULT_FAILURE_ACTION,
  type DirectorSpec,
  type Engine,
  effectiveHealthCheck,
  type FailureAction,
  type HaSpec,
  type HealthCheck,
  type SorryServer,
} from "@lvs-panel/lvs";
import type { Prisma } from "../generated/prisma/client.ts";

export const clusterInclude = {
  directors: { orderBy: { position: "asc" }, include: { host: true } },
  services: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { realservers: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  },
} satisfies Prisma.ClusterInclude;

export type ClusterRow = Prisma.ClusterGetPayload<{ include: typeof clusterInclude }>;
export type DirectorRow = ClusterRow["directors"][number];

/** The first director (the preferred master of a pair), or null. */
export function firstDirector<D>(cluster: { directors: readonly D[] }): D | null {
  return cluster.directors[0] ?? null;
}

/** The second director of a VRRP pair, or null. */
export function secondDirector<D>(cluster: { directors: readonly D[] }): D | null {
  return cluster.directors[1] ?? null;
}
export type ServiceRow = ClusterRow["services"][number];
export type RealServerRow = ServiceRow["realservers"][number];

export function toRealServerDto(rs: RealServerRow) {
  return {
    id: rs.id,
    serviceId: rs.serviceId,
    address: rs.address,
    port: rs.port,
    weight: rs.weight,
    enabled: rs.enabled,
    draining: rs.draining,
    upperThreshold: rs.upperThreshold,
    lowerThreshold: rs.lowerThreshold,
    checkPort: rs.checkPort,
    hostId: rs.hostId,
    createdAt: rs.createdAt.toISOString(),
    updatedAt: rs.updatedAt.toISOString(),
  };
}

export function toServiceDto(service: ServiceRow) {
  return {
    id: service.id,
    clusterId: service.clusterId,
    // Written only through the service schemas: these are the domain's values.
    protocol: service.protocol as ClusterSpec["services"][number]["protocol"],
    vip: service.vip,
    port: service.port,
    fwmark: service.fwmark > 0 ? service.fwmark : null,
    scheduler: service.scheduler,
    schedulerFlags: splitFlags(service.schedulerFlags),
    persistence: service.persistence,
    persistenceNetmask: service.persistenceNetmask,
    forwarding: service.forwarding as ClusterSpec["services"][number]["forwarding"],
    ...healthOf(service),
    createdAt: service.createdAt.toISOString(),
    updatedAt: service.updatedAt.toISOString(),
    realservers: service.realservers.map(toRealServerDto),
  };
}

export function toClusterDto(cluster: ClusterRow) {
  const director = firstDirector(cluster);
  return {
    id: cluster.id,
    name: cluster.name,
    description: cluster.description,
    engine: engineOf(cluster),
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
    director: director ? toDirectorDto(director) : null,
    directors: cluster.directors.map(toDirectorDto),
    ha: haOf(cluster),
    services: cluster.services.map(toServiceDto),
  };
}

export type ClusterDto = ReturnType<typeof toClusterDto>;

/** The desired state the LVS domain validates, renders and plans. */
export function toClusterSpec(cluster: ClusterRow): ClusterSpec {
  // The health settings only mean something to keepalived; an ipvsadm cluster's spec (and so its
  // plans, hashes and "pending changes") stays exactly what it was before they existed.
  const keepalived = engineOf(cluster) === "keepalived";
  const first = firstDirector(cluster);
  const second = secondDirector(cluster);
  const ha = keepalived ? haOf(cluster) : null;
  return {
    ...(keepalived ? { engine: "keepalived" as const } : {}),
    director: first ? toDirectorSpec(first, ha !== null) : null,
    ...(ha ? { ha, peer: second ? toDirectorSpec(second, true) : null } : {}),
    services: cluster.services.map((s) => ({
      protocol: s.protocol as ClusterSpec["services"][number]["protocol"],
      vip: s.vip,
      port: s.port,
      ...(s.fwmark > 0 ? { fwmark: s.fwmark } : {}),
      scheduler: s.scheduler as ClusterSpec["services"][number]["scheduler"],
      schedulerFlags: splitFlags(s.schedulerFlags),
      persistence: s.persistence,
      persistenceNetmask: s.persistenceNetmask,
      forwarding: s.forwarding as ClusterSpec["services"][number]["forwarding"],
      ...(keepalived ? healthOf(s) : {}),
      realservers: s.realservers.map((rs) => ({
        address: rs.address,
        port: rs.port,
        // Draining: weight 0 in the kernel, so established connections finish and new ones go
        // elsewhere; the configured weight stays in the database for undraining.
        weight: rs.draining ? 0 : rs.weight,
        enabled: rs.enabled,
        upperThreshold: rs.upperThreshold,
        lowerThreshold: rs.lowerThreshold,
        hostId: rs.hostId,
        ...(keepalived && rs.checkPort !== null ? { checkPort: rs.checkPort } : {}),
      })),
    })),
  };
}

function toDirectorDto(director: DirectorRow) {
  return {
    hostId: director.hostId,
    dip: director.dip,
    interface: director.interface,
    vipInterface: director.vipInterface,
    priority: director.priority,
    host: { id: director.host.id, name: director.host.name, address: director.host.address },
  };
}

function toDirectorSpec(director: DirectorRow, withPriority: boolean): DirectorSpec {
  return {
    dip: director.dip,
    interface: director.interface,
    ...(director.vipInterface ? { vipInterface: director.vipInterface } : {}),
    ...(withPriority ? { priority: director.priority } : {}),
  };
}

/** The cluster's VRRP settings as stored (JSON written only through the ha schema); null: none. */
export function haOf(
  cluster: Pick<ClusterRow, "ha">,
): (HaSpec & { floatingGateway: string | null }) | null {
  if (cluster.ha === null) return null;
  const ha = JSON.parse(cluster.ha) as HaSpec;
  return { ...ha, floatingGateway: ha.floatingGateway ?? null };
}

export function engineOf(cluster: Pick<ClusterRow, "engine">): Engine {
  return cluster.engine === "keepalived" ? "keepalived" : "ipvsadm";
}

type StoredHealth = Pick<ServiceRow, "healthCheck" | "onFailure" | "sorryServer">;

/**
 * A service's health settings as stored (validated JSON columns): the check only when one was
 * set, so a PATCH that leaves it out keeps "the default" rather than freezing today's default.
 */
export function storedHealth(s: StoredHealth): {
  healthCheck?: HealthCheck;
  onFailure: FailureAction;
  sorryServer: SorryServer | null;
} {
  return {
    ...(s.healthCheck ? { healthCheck: JSON.parse(s.healthCheck) as HealthCheck } : {}),
    onFailure: s.onFailure === "remove" ? "remove" : DEFAULT_FAILURE_ACTION,
    sorryServer: s.sorryServer ? (JSON.parse(s.sorryServer) as SorryServer) : null,
  };
}

/** The health settings in effect: the stored ones, the check defaulted for the protocol. */
function healthOf(s: StoredHealth & Pick<ServiceRow, "protocol">) {
  const stored = storedHealth(s);
  return { ...stored, healthCheck: effectiveHealthCheck({ ...stored, protocol: s.protocol }) };
}

function splitFlags(flags: string): string[] {
  return flags ? flags.split(",") : [];
}
