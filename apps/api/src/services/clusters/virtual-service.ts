// Virtual services of a cluster: the domain validates each one as submitted; this layer adds what
// only the database knows (the cluster exists, protocol + VIP + port is free).
import { canonicalAddress, liveServiceKey, validateServiceInput } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { auditedWrite } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import { toServiceDto } from "../cluster-dto.ts";
import { conflict } from "../errors.ts";
import { existingCluster, existingService } from "./existing.ts";
import { throwIfInvalid } from "./input-errors.ts";
import {
  mergeServicePatch,
  type ServiceInput,
  serviceColumns,
  serviceInputOf,
} from "./service-patch.ts";
import { refuseSharedClaims } from "./shared-director.ts";

const withRealServers = { realservers: true } as const;

export function virtualServiceOperations(db: Db) {
  async function uniqueService(
    clusterId: string,
    key: { protocol: string; vip: string; port: number; fwmark?: number | null | undefined },
    selfId?: string,
  ) {
    // A mark service is one per mark (and family), whatever address it covers.
    const where = key.fwmark
      ? { clusterId, fwmark: key.fwmark }
      : { clusterId, protocol: key.protocol, vip: key.vip, port: key.port, fwmark: 0 };
    const other = await db.virtualService.findFirst({ where });
    if (other && other.id !== selfId) {
      const name = liveServiceKey(key);
      throw conflict(`this cluster already has the service ${name}`, {
        port: `${name} already exists in this cluster`,
      });
    }
  }

  return {
    async createService(user: SessionUser, clusterId: string, raw: ServiceInput) {
      await existingCluster(db, clusterId);
      const input = { ...raw, vip: canonicalAddress(raw.vip) };
      throwIfInvalid(validateServiceInput(input));
      await uniqueService(clusterId, input);
      await refuseSharedClaims(db, clusterId, [input], "port");
      return auditedWrite(db, user, {
        action: "service.create",
        entityType: "service",
        before: undefined,
        write: (tx) =>
          tx.virtualService.create({
            data: { clusterId, ...serviceColumns(input) },
            include: withRealServers,
          }),
        toDto: toServiceDto,
      });
    },

    async updateService(user: SessionUser, id: string, raw: Partial<ServiceInput>) {
      const patch = raw.vip === undefined ? raw : { ...raw, vip: canonicalAddress(raw.vip) };
      const before = await existingService(db, id);
      const merged = mergeServicePatch(serviceInputOf(before), patch);
      throwIfInvalid(validateServiceInput(merged));
      await uniqueService(before.clusterId, merged, id);
      await refuseSharedClaims(db, before.clusterId, [merged], "port");
      return auditedWrite(db, user, {
        action: "service.update",
        entityType: "service",
        before: toServiceDto(before),
        write: (tx) =>
          tx.virtualService.update({
            where: { id },
            data: serviceColumns(merged),
            include: withRealServers,
          }),
        toDto: toServiceDto,
      });
    },

    async removeService(user: SessionUser, id: string): Promise<void> {
      const before = await existingService(db, id);
      await auditedWrite(db, user, {
        action: "service.delete",
        entityType: "service",
        before: toServiceDto(before),
        write: (tx) => tx.virtualService.delete({ where: { id } }),
        toDto: () => null,
      });
    },
  };
}
