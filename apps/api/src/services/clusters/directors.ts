// A cluster's directors as a list (one, or two for a VRRP pair), its failover settings, and the
// manual switchover. What runs on the directors changes at the next apply, like every change; a
// switchover is the exception that applies at once (its route starts the apply).
import { canonicalAddress, DEFAULT_DIP_PREFIX, type HaSpec, inSubnet } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { auditedWrite } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import {
  type ClusterDto,
  type ClusterRow,
  clusterInclude,
  engineOf,
  firstDirector,
  haOf,
  toClusterDto,
} from "../cluster-dto.ts";
import { badField, conflict } from "../errors.ts";
import { checkHostExists, existingCluster } from "./existing.ts";
import { refuseOnHost } from "./shared-director.ts";

export interface DirectorsEntry {
  hostId: string;
  dip: string;
  interface: string;
  vipInterface?: string | null | undefined;
  priority?: number | undefined;
}

/** Default VRRP priorities: the first director is the preferred master. */
const DEFAULT_PRIORITIES = [150, 100] as const;

export function directorsOperations(db: Db) {
  /** Another cluster with the same VRID on the same segment would fight over one router id. */
  async function refuseVridClash(clusterId: string, ha: HaSpec, dip: string | null, field: string) {
    if (!dip) return;
    const others = await db.cluster.findMany({
      where: { id: { not: clusterId }, ha: { not: null } },
      include: { directors: { orderBy: { position: "asc" } } },
    });
    for (const other of others) {
      const theirs = haOf(other);
      const theirDip = other.directors[0]?.dip;
      if (!theirs || !theirDip || theirs.virtualRouterId !== ha.virtualRouterId) continue;
      if (
        inSubnet(theirDip, dip, DEFAULT_DIP_PREFIX) ||
        inSubnet(dip, theirDip, DEFAULT_DIP_PREFIX)
      ) {
        throw badField(
          field,
          `virtual router id ${ha.virtualRouterId} is already used by cluster "${other.name}" on the same segment (${theirDip}): VRRP needs one id per router on a link`,
        );
      }
    }
  }

  return {
    refuseVridClash,

    /** PUT /api/clusters/:id/directors: the whole list, in order. */
    async setDirectors(
      user: SessionUser,
      clusterId: string,
      entries: DirectorsEntry[],
    ): Promise<ClusterDto> {
      const before = await existingCluster(db, clusterId);
      const ha = haOf(before);
      if (entries.length === 2 && (!ha || engineOf(before) !== "keepalived")) {
        throw badField(
          "1",
          "a second director fails over through keepalived's VRRP: set the cluster's engine to keepalived and its failover settings (ha) first",
        );
      }
      if (entries.length === 2 && entries[0]?.hostId === entries[1]?.hostId) {
        throw badField("1.hostId", "must be another host than the first director");
      }
      const services = await db.virtualService.findMany({
        where: { clusterId },
        select: { protocol: true, vip: true, port: true, fwmark: true },
      });
      for (const [i, e] of entries.entries()) {
        await checkHostExists(db, `${i}.hostId`, e.hostId);
        await refuseOnHost(db, clusterId, e.hostId, services, `${i}.hostId`);
      }
      if (ha) await refuseVridClash(clusterId, ha, entries[0]?.dip ?? null, "0.dip");
      const rows = entries.map((e, position) => ({
        clusterId,
        position,
        hostId: e.hostId,
        dip: canonicalAddress(e.dip),
        interface: e.interface,
        vipInterface: e.vipInterface ?? null,
        priority: e.priority ?? DEFAULT_PRIORITIES[position] ?? 100,
      }));
      return auditedWrite(db, user, {
        action: "directors.set",
        entityType: "cluster",
        before: toClusterDto(before).directors,
        write: async (tx) => {
          await tx.director.deleteMany({ where: { clusterId } });
          for (const row of rows) await tx.director.create({ data: row });
          return tx.cluster.findUniqueOrThrow({
            where: { id: clusterId },
            include: clusterInclude,
          });
        },
        toDto: toClusterDto,
        audited: (dto) => dto.directors,
      });
    },

    /**
     * Makes `hostId` the preferred master by priority (it gets the higher of the two). Returns
     * null when it already has it. Preemption must be on: with nopreempt, VRRP never hands the
     * addresses to a higher priority while the master lives.
     */
    async prepareSwitchover(
      user: SessionUser,
      clusterId: string,
      hostId: string,
    ): Promise<ClusterDto | null> {
      const before = await existingCluster(db, clusterId);
      const ha = haOf(before);
      const [a, b] = before.directors;
      if (!ha || !a || !b) {
        throw conflict("a switchover needs two directors with failover settings (ha)");
      }
      if (!ha.preempt) {
        throw conflict(
          "preemption is off (nopreempt): the master keeps the VIPs until it fails, whatever the priorities. Turn preempt on for a switchover by priority, or stop keepalived on the master",
        );
      }
      const target = before.directors.find((d) => d.hostId === hostId);
      if (!target) throw badField("hostId", "is not one of this cluster's directors");
      const other = target === a ? b : a;
      if (target.priority > other.priority) return null;
      return auditedWrite(db, user, {
        action: "cluster.switchover",
        entityType: "cluster",
        before: toClusterDto(before).directors,
        write: async (tx) => {
          await tx.director.update({
            where: { id: target.id },
            data: { priority: other.priority },
          });
          await tx.director.update({
            where: { id: other.id },
            data: { priority: target.priority },
          });
          return tx.cluster.findUniqueOrThrow({
            where: { id: clusterId },
            include: clusterInclude,
          });
        },
        toDto: toClusterDto,
        audited: (dto) => ({ master: hostId, directors: dto.directors }),
      });
    },
  };
}

/** The checks a PATCH of `ha` (and engine) must pass before it is stored. */
export function refuseHaWithoutKeepalived(row: ClusterRow, engine: string, ha: HaSpec | null) {
  if (ha && engine !== "keepalived") {
    throw badField(
      "ha",
      "director failover runs on keepalived's VRRP: set the engine to keepalived (in the same change, or first)",
    );
  }
  if (!ha && row.directors.length > 1) {
    throw badField(
      "ha",
      "the cluster has two directors: remove the second one before its failover settings",
    );
  }
  return firstDirector(row)?.dip ?? null;
}
