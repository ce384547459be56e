// Clusters themselves: listing, reading, the domain's report on one, and create/rename/delete.
import { type Engine, type HaSpec, validateCluster } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { auditedWrite } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import {
  type ClusterDto,
  clusterInclude,
  haOf,
  toClusterDto,
  toClusterSpec,
} from "../cluster-dto.ts";
import { conflict } from "../errors.ts";
import { directorsOperations, refuseHaWithoutKeepalived } from "./directors.ts";
import { existingCluster } from "./existing.ts";

export interface ClusterInput {
  name: string;
  description?: string | undefined;
  engine?: Engine | undefined;
  /** Director failover; null: none. */
  ha?: HaSpec | null | undefined;
}

export function clusterOperations(db: Db) {
  async function uniqueClusterName(name: string, selfId?: string) {
    const other = await db.cluster.findUnique({ where: { name } });
    if (other && other.id !== selfId) {
      throw conflict(`a cluster named "${name}" already exists`, { name: "already exists" });
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
      return toClusterDto(await existingCluster(db, id));
    },

    async validation(id: string) {
      return validateCluster(toClusterSpec(await existingCluster(db, id)));
    },

    async create(user: SessionUser, input: ClusterInput): Promise<ClusterDto> {
      await uniqueClusterName(input.name);
      return auditedWrite(db, user, {
        action: "cluster.create",
        entityType: "cluster",
        before: undefined,
        write: (tx) =>
          tx.cluster.create({
            data: {
              name: input.name,
              description: input.description ?? "",
              engine: input.engine ?? "ipvsadm",
            },
            include: clusterInclude,
          }),
        toDto: toClusterDto,
      });
    },

    async update(user: SessionUser, id: string, input: Partial<ClusterInput>): Promise<ClusterDto> {
      const before = await existingCluster(db, id);
      if (input.name !== undefined) await uniqueClusterName(input.name, id);
      if (input.ha !== undefined || input.engine !== undefined) {
        const ha = input.ha === undefined ? haOf(before) : input.ha;
        const dip = refuseHaWithoutKeepalived(before, input.engine ?? before.engine, ha);
        if (ha) await directorsOperations(db).refuseVridClash(id, ha, dip, "ha.virtualRouterId");
      }
      return auditedWrite(db, user, {
        action: "cluster.update",
        entityType: "cluster",
        before: toClusterDto(before),
        write: (tx) =>
          tx.cluster.update({
            where: { id },
            data: {
              ...(input.name !== undefined ? { name: input.name } : {}),
              ...(input.description !== undefined ? { description: input.description } : {}),
              // Takes effect on the director at the next apply, like every other change.
              ...(input.engine !== undefined ? { engine: input.engine } : {}),
              ...(input.ha !== undefined
                ? { ha: input.ha === null ? null : JSON.stringify(input.ha) }
                : {}),
            },
            include: clusterInclude,
          }),
        toDto: toClusterDto,
      });
    },

    async remove(user: SessionUser, id: string): Promise<void> {
      const before = await existingCluster(db, id);
      await auditedWrite(db, user, {
        action: "cluster.delete",
        entityType: "cluster",
        before: toClusterDto(before),
        write: (tx) => tx.cluster.delete({ where: { id } }),
        toDto: () => null,
      });
    },
  };
}
