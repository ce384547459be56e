// Realservers of a virtual service: the domain validates each one as submitted; this layer adds
// what only the database knows (the service and host exist, address + port is free).
import { canonicalAddress, formatEndpoint, validateRealServerInput } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { auditedWrite } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import { type RealServerRow, toRealServerDto } from "../cluster-dto.ts";
import { conflict } from "../errors.ts";
import { checkHostExists, existingRealServer, existingService } from "./existing.ts";
import { throwIfInvalid } from "./input-errors.ts";

export interface RealServerInput {
  address: string;
  port: number;
  weight?: number | undefined;
  enabled?: boolean | undefined;
  draining?: boolean | undefined;
  upperThreshold?: number | undefined;
  lowerThreshold?: number | undefined;
  checkPort?: number | null | undefined;
  hostId?: string | null | undefined;
}

/** A stored realserver as the input that would create it. */
function realServerInputOf(row: RealServerRow): RealServerInput {
  return {
    address: row.address,
    port: row.port,
    weight: row.weight,
    enabled: row.enabled,
    draining: row.draining,
    upperThreshold: row.upperThreshold,
    lowerThreshold: row.lowerThreshold,
    checkPort: row.checkPort,
    hostId: row.hostId,
  };
}

/** Only the fields a PATCH gives: absent ones leave the column as it is. */
function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

export function realServerOperations(db: Db) {
  async function uniqueRealServer(
    serviceId: string,
    key: { address: string; port: number },
    selfId?: string,
  ) {
    const where = { serviceId, address: key.address, port: key.port };
    const other = await db.realServer.findFirst({ where });
    if (other && other.id !== selfId) {
      const endpoint = formatEndpoint(key.address, key.port);
      throw conflict(`realserver ${endpoint} is already in this service`, {
        address: "already in this service",
      });
    }
  }

  return {
    async createRealServer(user: SessionUser, serviceId: string, raw: RealServerInput) {
      const input = { ...raw, address: canonicalAddress(raw.address) };
      await existingService(db, serviceId);
      throwIfInvalid(validateRealServerInput(input));
      await checkHostExists(db, "hostId", input.hostId);
      await uniqueRealServer(serviceId, input);
      return auditedWrite(db, user, {
        action: "realserver.create",
        entityType: "realserver",
        before: undefined,
        write: (tx) =>
          tx.realServer.create({
            data: {
              serviceId,
              address: input.address,
              port: input.port,
              weight: input.weight ?? 1,
              enabled: input.enabled ?? true,
              draining: input.draining ?? false,
              upperThreshold: input.upperThreshold ?? 0,
              lowerThreshold: input.lowerThreshold ?? 0,
              checkPort: input.checkPort ?? null,
              hostId: input.hostId ?? null,
            },
          }),
        toDto: toRealServerDto,
      });
    },

    async updateRealServer(user: SessionUser, id: string, raw: Partial<RealServerInput>) {
      const patch = definedFields(
        raw.address === undefined ? raw : { ...raw, address: canonicalAddress(raw.address) },
      );
      const before = await existingRealServer(db, id);
      const merged = { ...realServerInputOf(before), ...patch };
      throwIfInvalid(validateRealServerInput(merged));
      if (patch.hostId !== undefined) await checkHostExists(db, "hostId", patch.hostId);
      await uniqueRealServer(before.serviceId, merged, id);
      return auditedWrite(db, user, {
        action: "realserver.update",
        entityType: "realserver",
        before: toRealServerDto(before),
        write: (tx) => tx.realServer.update({ where: { id }, data: patch }),
        toDto: toRealServerDto,
      });
    },

    async removeRealServer(user: SessionUser, id: string): Promise<void> {
      const before = await existingRealServer(db, id);
      await auditedWrite(db, user, {
        action: "realserver.delete",
        entityType: "realserver",
        before: toRealServerDto(before),
        write: (tx) => tx.realServer.delete({ where: { id } }),
        toDto: () => null,
      });
    },
  };
}
