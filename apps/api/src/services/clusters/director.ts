// The cluster's director: which host runs IPVS, its DIP and interfaces. Set as a whole.
import { canonicalAddress } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { auditedWrite } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import { type ClusterDto, clusterInclude, toClusterDto } from "../cluster-dto.ts";
import { checkHostExists, existingCluster } from "./existing.ts";
import { refuseOnHost } from "./shared-director.ts";

export interface DirectorInput {
  hostId: string;
  dip: string;
  interface: string;
  vipInterface?: string | null | undefined;
}

export function directorOperations(db: Db) {
  return {
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
      const before = await existingCluster(db, clusterId);
      await checkHostExists(db, "hostId", input.hostId);
      const services = await db.virtualService.findMany({
        where: { clusterId },
        select: { protocol: true, vip: true, port: true, fwmark: true },
      });
      await refuseOnHost(db, clusterId, input.hostId, services, "hostId");
      return auditedWrite(db, user, {
        action: "director.set",
        entityType: "cluster",
        before: toClusterDto(before).director,
        write: async (tx) => {
          await tx.director.upsert({
            where: { clusterId_position: { clusterId, position: 0 } },
            // The preferred master's priority, should a second director join it.
            create: { clusterId, position: 0, priority: 150, ...input },
            update: input,
          });
          return tx.cluster.findUniqueOrThrow({
            where: { id: clusterId },
            include: clusterInclude,
          });
        },
        toDto: toClusterDto,
        audited: (dto) => dto.director,
      });
    },
  };
}
