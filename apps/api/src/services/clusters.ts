// Clusters, their director, virtual services and realservers: the desired state, edited through
// the API. Field syntax is checked by the route schemas; this layer checks references,
// uniqueness and cross-field rules, and writes the audit log in the same transaction.
import {
  canonicalAddress,
  formatEndpoint,
  ipAddressSchema,
  SCHEDULER_FLAGS,
  validateCluster,
} from "@lvs-panel/lvs";
import type { Db } from "../plugins/db.ts";
import { recordAudit } from "./audit.ts";
import type { SessionUser } from "./auth-service.ts";
import {
  type ClusterDto,
  clusterInclude,
  toClusterDto,
  toClusterSpec,
  toRealServerDto,
  toServiceDto,
} from "./cluster-dto.ts";
import { badField, conflict, notFound } from "./errors.ts";

export interface ClusterInput {
  name: string;
  description?: string | undefined;
}
export interface DirectorInput {
  hostId: string;
  dip: string;
  interface: string;
  vipInterface?: string | null | undefined;
}
export interface ServiceInput {
  protocol: string;
  vip: string;
  port: number;
  scheduler: string;
  schedulerFlags?: string[] | undefined;
  persistence?: number | null | undefined;
  persistenceNetmask?: string | null | undefined;
  forwarding: string;
}
export interface RealServerInput {
  address: string;
  port: number;
  weight?: number | undefined;
  enabled?: boolean | undefined;
  draining?: boolean | undefined;
  upperThreshold?: number | undefined;
  lowerThreshold?: number | undefined;
  hostId?: string | null | undefined;
}

export function createClusterService(db: Db) {
  async function loadCluster(id: string) {
    const cluster = await db.cluster.findUnique({ where: { id }, include: clusterInclude });
    if (!cluster) throw notFound("cluster");
    return cluster;
  }

  async function uniqueClusterName(name: string, selfId?: string) {
    const other = await db.cluster.findUnique({ where: { name } });
    if (other && other.id !== selfId) {
      throw conflict(`a cluster named "${name}" already exists`, { name: "already exists" });
    }
  }

  async function checkHost(field: string, hostId: string | null | undefined) {
    if (!hostId) return;
    if (!(await db.host.findUnique({ where: { id: hostId } })))
      throw badField(field, "no such host");
  }

  async function uniqueService(
    clusterId: string,
    key: { protocol: string; vip: string; port: number },
    selfId?: string,
  ) {
    const where = { clusterId, protocol: key.protocol, vip: key.vip, port: key.port };
    const other = await db.virtualService.findFirst({ where });
    if (other && other.id !== selfId) {
      const name = `${key.protocol} ${formatEndpoint(key.vip, key.port)}`;
      throw conflict(`this cluster already has the service ${name}`, {
        port: `${name} already exists in this cluster`,
      });
    }
  }

  async function uniqueRealServer(
    serviceId: string,
    key: { address: string; port: number },
    selfId?: string,
  ) {
    const where = { serviceId, address: key.address, port: key.port };
    const other = await db.realServer.findFirst({ where });
    if (other && other.id !== selfId) {
      throw conflict(
        `realserver ${formatEndpoint(key.address, key.port)} is already in this service`,
        {
          address: "already in this service",
        },
      );
    }
  }

  return {
    async list(): Promise<ClusterDto[]> {
      const clusters = await db.cluster.findMany({
        include: clusterInclude,
        orderBy: { name: "asc" },
      });
      return clusters.map(toClusterDto);
    },

    async get(id: string): Promise<ClusterDto> {
      return toClusterDto(await loadCluster(id));
    },

    async validation(id: string) {
      return validateCluster(toClusterSpec(await loadCluster(id)));
    },

    async create(user: SessionUser, input: ClusterInput): Promise<ClusterDto> {
      await uniqueClusterName(input.name);
      return db.$transaction(async (tx) => {
        const cluster = await tx.cluster.create({
          data: { name: input.name, description: input.description ?? "" },
          include: clusterInclude,
        });
        const dto = toClusterDto(cluster);
        await recordAudit(
          tx,
          user,
          "cluster.create",
          { type: "cluster", id: cluster.id },
          undefined,
          dto,
        );
        return dto;
      });
    },

    async update(user: SessionUser, id: string, input: Partial<ClusterInput>): Promise<ClusterDto> {
      const before = await loadCluster(id);
      if (input.name !== undefined) await uniqueClusterName(input.name, id);
      return db.$transaction(async (tx) => {
        const cluster = await tx.cluster.update({
          where: { id },
          data: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
          },
          include: clusterInclude,
        });
        const dto = toClusterDto(cluster);
        await recordAudit(
          tx,
          user,
          "cluster.update",
          { type: "cluster", id },
          toClusterDto(before),
          dto,
        );
        return dto;
      });
    },

    async remove(user: SessionUser, id: string): Promise<void> {
      const before = await loadCluster(id);
      await db.$transaction(async (tx) => {
        await tx.cluster.delete({ where: { id } });
        await recordAudit(
          tx,
          user,
          "cluster.delete",
          { type: "cluster", id },
          toClusterDto(before),
          null,
        );
      });
    },

    async setDirector(
      user: SessionUser,
      clusterId: string,
      raw: DirectorInput,
    ): Promise<ClusterDto> {
      const input = {
        ...raw,
        dip: canonicalAddress(raw.dip),
        vipInterface: raw.vipInterface ?? null,
      };
      const before = await loadCluster(clusterId);
      await checkHost("hostId", input.hostId);
      return db.$transaction(async (tx) => {
        await tx.director.upsert({
          where: { clusterId },
          create: { clusterId, ...input },
          update: input,
        });
        const cluster = await tx.cluster.findUniqueOrThrow({
          where: { id: clusterId },
          include: clusterInclude,
        });
        const dto = toClusterDto(cluster);
        await recordAudit(
          tx,
          user,
          "director.set",
          { type: "cluster", id: clusterId },
          toClusterDto(before).director,
          dto.director,
        );
        return dto;
      });
    },

    async createService(user: SessionUser, clusterId: string, raw: ServiceInput) {
      await loadCluster(clusterId);
      const input = { ...raw, vip: canonicalAddress(raw.vip) };
      checkServiceRules(input);
      await uniqueService(clusterId, input);
      return db.$transaction(async (tx) => {
        const service = await tx.virtualService.create({
          data: { clusterId, ...serviceData(input) },
          include: { realservers: true },
        });
        const dto = toServiceDto(service);
        await recordAudit(
          tx,
          user,
          "service.create",
          { type: "service", id: service.id },
          undefined,
          dto,
        );
        return dto;
      });
    },

    async updateService(user: SessionUser, id: string, raw: Partial<ServiceInput>) {
      const input = raw.vip === undefined ? raw : { ...raw, vip: canonicalAddress(raw.vip) };
      const before = await db.virtualService.findUnique({
        where: { id },
        include: { realservers: true },
      });
      if (!before) throw notFound("service");
      const merged: ServiceInput = {
        protocol: input.protocol ?? before.protocol,
        vip: input.vip ?? before.vip,
        port: input.port ?? before.port,
        scheduler: input.scheduler ?? before.scheduler,
        schedulerFlags:
          input.schedulerFlags ?? (before.schedulerFlags ? before.schedulerFlags.split(",") : []),
        persistence: input.persistence !== undefined ? input.persistence : before.persistence,
        persistenceNetmask:
          input.persistenceNetmask !== undefined
            ? input.persistenceNetmask
            : before.persistenceNetmask,
        forwarding: input.forwarding ?? before.forwarding,
      };
      // Flags of the old scheduler do not carry over to a new one.
      if (input.scheduler !== undefined && input.schedulerFlags === undefined) {
        merged.schedulerFlags = merged.scheduler === before.scheduler ? merged.schedulerFlags : [];
      }
      checkServiceRules(merged);
      await uniqueService(before.clusterId, merged, id);
      return db.$transaction(async (tx) => {
        const service = await tx.virtualService.update({
          where: { id },
          data: serviceData(merged),
          include: { realservers: true },
        });
        const dto = toServiceDto(service);
        await recordAudit(
          tx,
          user,
          "service.update",
          { type: "service", id },
          toServiceDto(before),
          dto,
        );
        return dto;
      });
    },

    async removeService(user: SessionUser, id: string): Promise<void> {
      const before = await db.virtualService.findUnique({
        where: { id },
        include: { realservers: true },
      });
      if (!before) throw notFound("service");
      await db.$transaction(async (tx) => {
        await tx.virtualService.delete({ where: { id } });
        await recordAudit(
          tx,
          user,
          "service.delete",
          { type: "service", id },
          toServiceDto(before),
          null,
        );
      });
    },

    async createRealServer(user: SessionUser, serviceId: string, raw: RealServerInput) {
      const input = { ...raw, address: canonicalAddress(raw.address) };
      const service = await db.virtualService.findUnique({ where: { id: serviceId } });
      if (!service) throw notFound("service");
      checkThresholds(input.upperThreshold ?? 0, input.lowerThreshold ?? 0);
      await checkHost("hostId", input.hostId);
      await uniqueRealServer(serviceId, input);
      return db.$transaction(async (tx) => {
        const rs = await tx.realServer.create({
          data: {
            serviceId,
            address: input.address,
            port: input.port,
            weight: input.weight ?? 1,
            enabled: input.enabled ?? true,
            draining: input.draining ?? false,
            upperThreshold: input.upperThreshold ?? 0,
            lowerThreshold: input.lowerThreshold ?? 0,
            hostId: input.hostId ?? null,
          },
        });
        const dto = toRealServerDto(rs);
        await recordAudit(
          tx,
          user,
          "realserver.create",
          { type: "realserver", id: rs.id },
          undefined,
          dto,
        );
        return dto;
      });
    },

    async updateRealServer(user: SessionUser, id: string, raw: Partial<RealServerInput>) {
      const input =
        raw.address === undefined ? raw : { ...raw, address: canonicalAddress(raw.address) };
      const before = await db.realServer.findUnique({ where: { id } });
      if (!before) throw notFound("realserver");
      checkThresholds(
        input.upperThreshold ?? before.upperThreshold,
        input.lowerThreshold ?? before.lowerThreshold,
      );
      if (input.hostId !== undefined) await checkHost("hostId", input.hostId);
      await uniqueRealServer(
        before.serviceId,
        { address: input.address ?? before.address, port: input.port ?? before.port },
        id,
      );
      return db.$transaction(async (tx) => {
        const rs = await tx.realServer.update({
          where: { id },
          data: {
            ...(input.address !== undefined ? { address: input.address } : {}),
            ...(input.port !== undefined ? { port: input.port } : {}),
            ...(input.weight !== undefined ? { weight: input.weight } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.draining !== undefined ? { draining: input.draining } : {}),
            ...(input.upperThreshold !== undefined ? { upperThreshold: input.upperThreshold } : {}),
            ...(input.lowerThreshold !== undefined ? { lowerThreshold: input.lowerThreshold } : {}),
            ...(input.hostId !== undefined ? { hostId: input.hostId } : {}),
          },
        });
        const dto = toRealServerDto(rs);
        await recordAudit(
          tx,
          user,
          "realserver.update",
          { type: "realserver", id },
          toRealServerDto(before),
          dto,
        );
        return dto;
      });
    },

    async removeRealServer(user: SessionUser, id: string): Promise<void> {
      const before = await db.realServer.findUnique({ where: { id } });
      if (!before) throw notFound("realserver");
      await db.$transaction(async (tx) => {
        await tx.realServer.delete({ where: { id } });
        await recordAudit(
          tx,
          user,
          "realserver.delete",
          { type: "realserver", id },
          toRealServerDto(before),
          null,
        );
      });
    },
  };
}

export type ClusterService = ReturnType<typeof createClusterService>;

function serviceData(input: ServiceInput) {
  return {
    protocol: input.protocol,
    vip: input.vip,
    port: input.port,
    scheduler: input.scheduler,
    schedulerFlags: (input.schedulerFlags ?? []).join(","),
    persistence: input.persistence ?? null,
    persistenceNetmask: input.persistence ? (input.persistenceNetmask ?? null) : null,
    forwarding: input.forwarding,
  };
}

/** Cross-field rules the field schemas cannot see. */
function checkServiceRules(input: ServiceInput): void {
  const flags = input.schedulerFlags ?? [];
  const allowed: readonly string[] =
    (SCHEDULER_FLAGS as Record<string, readonly string[]>)[input.scheduler] ?? [];
  for (const flag of flags) {
    if (!allowed.includes(flag)) {
      throw badField(
        "schedulerFlags",
        allowed.length
          ? `"${flag}" is not a flag of ${input.scheduler}; use ${allowed.join(" or ")}`
          : `scheduler ${input.scheduler} takes no flags`,
      );
    }
  }
  if (input.persistenceNetmask && !input.persistence) {
    throw badField("persistenceNetmask", "only applies with persistence");
  }
  if (input.persistenceNetmask && !ipAddressSchema.safeParse(input.persistenceNetmask).success) {
    throw badField("persistenceNetmask", "must be a netmask such as 255.255.255.0");
  }
}

function checkThresholds(upper: number, lower: number): void {
  if (upper > 0 && lower > upper) {
    throw badField("lowerThreshold", "must not be above the upper threshold");
  }
}
