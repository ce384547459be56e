// Adopting drift: the changes made on the director outside the panel become the cluster's desired
// state (the database), so the next plan keeps them instead of planning them away. Only the
// changes the drift check names are taken; under keepalived, what its checks did stays health.
import {
  canonicalAddress,
  type DriftChange,
  ownershipKey,
  type RealServerSpec,
  type ServiceSpec,
} from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { loadClusterContext } from "../apply/context.ts";
import { recordKnownTable } from "../apply/ownership.ts";
import { auditedWrite, type Tx } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import { type ClusterDto, clusterInclude, toClusterDto, toClusterSpec } from "../cluster-dto.ts";
import { serviceColumns } from "../clusters/service-patch.ts";
import { conflict } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import { knownTable, readDrift } from "./cluster-drift.ts";

export async function adoptDrift(
  deps: { db: Db; targets: TargetResolver; pool: SshPool },
  user: SessionUser,
  clusterId: string,
): Promise<{ cluster: ClusterDto; adopted: DriftChange[] }> {
  const { db } = deps;
  const ctx = await loadClusterContext(db, deps.targets, deps.pool, clusterId);
  const known = await knownTable(db, clusterId);
  if (known === null) throw conflict("nothing was applied or imported yet: there is no drift", {});
  const { drift, live } = await readDrift(ctx, known);
  const liveBy = new Map(live.map((s) => [ownershipKey(s), s]));
  const cluster = await auditedWrite(db, user, {
    action: "cluster.adopt-drift",
    entityType: "cluster",
    before: undefined,
    write: async (tx) => {
      const before = await tx.cluster.findUniqueOrThrow({
        where: { id: clusterId },
        include: clusterInclude,
      });
      // The spec's services are the rows', in the same order.
      const rows = before.services;
      const rowBy = new Map(
        toClusterSpec(before).services.map((s, i) => [ownershipKey(s), rows[i]]),
      );
      for (const change of drift.changes) {
        await adoptOne(tx, clusterId, change, rowBy.get(change.key), liveBy.get(change.key));
      }
      const after = await tx.cluster.findUniqueOrThrow({
        where: { id: clusterId },
        include: clusterInclude,
      });
      await recordKnownTable(tx, clusterId, toClusterSpec(after).services);
      return after;
    },
    toDto: toClusterDto,
    audited: () => ({ adopted: drift.changes.map((c) => `${c.service}: ${c.change}`) }),
  });
  return { cluster, adopted: drift.changes };
}

type Row = {
  id: string;
  realservers: { id: string; address: string; port: number; weight: number }[];
};

async function adoptOne(
  tx: Tx,
  clusterId: string,
  change: DriftChange,
  row: Row | undefined,
  live: ServiceSpec | undefined,
): Promise<void> {
  if (change.kind === "service") {
    if (!live && row) await tx.virtualService.delete({ where: { id: row.id } });
    if (live && !row) await createService(tx, clusterId, live);
    return;
  }
  if (!row || !live) return;
  if (!change.realserver) {
    // Service-level settings: scheduling and persistence as the director has them.
    await tx.virtualService.update({
      where: { id: row.id },
      data: {
        scheduler: live.scheduler,
        schedulerFlags: (live.schedulerFlags ?? []).join(","),
        persistence: live.persistence ?? null,
        persistenceNetmask: live.persistence ? (live.persistenceNetmask ?? null) : null,
      },
    });
    return;
  }
  const at = change.realserver;
  const same = (r: { address: string; port: number }) =>
    canonicalAddress(r.address) === at.address && r.port === at.port;
  const rsRow = row.realservers.find(same);
  const liveRs = live.realservers.find(same);
  if (change.kind === "realserver") {
    if (rsRow && !liveRs) await tx.realServer.delete({ where: { id: rsRow.id } });
    if (liveRs && !rsRow) await tx.realServer.create({ data: realserverRow(row.id, liveRs) });
    return;
  }
  if (!rsRow || !liveRs) return;
  if (change.kind === "weight") {
    // Weight 0 by hand is a drain: keep the configured weight for undraining.
    await tx.realServer.update({
      where: { id: rsRow.id },
      data:
        liveRs.weight === 0
          ? { draining: true }
          : { weight: liveRs.weight, draining: false, enabled: true },
    });
    return;
  }
  await tx.realServer.update({
    where: { id: rsRow.id },
    data: {
      upperThreshold: liveRs.upperThreshold ?? 0,
      lowerThreshold: liveRs.lowerThreshold ?? 0,
    },
  });
  if (liveRs.forwarding && liveRs.forwarding !== live.forwarding) return;
  await tx.virtualService.update({ where: { id: row.id }, data: { forwarding: live.forwarding } });
}

function realserverRow(serviceId: string, rs: RealServerSpec) {
  return {
    serviceId,
    address: rs.address,
    port: rs.port,
    weight: rs.weight,
    enabled: true,
    upperThreshold: rs.upperThreshold ?? 0,
    lowerThreshold: rs.lowerThreshold ?? 0,
  };
}

async function createService(tx: Tx, clusterId: string, live: ServiceSpec): Promise<void> {
  const created = await tx.virtualService.create({
    data: {
      clusterId,
      ...serviceColumns({ ...live, schedulerFlags: live.schedulerFlags ?? [] }),
    },
  });
  for (const rs of live.realservers) {
    await tx.realServer.create({ data: realserverRow(created.id, rs) });
  }
}
