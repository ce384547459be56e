// What each cluster owns on its director's IPVS table, as recorded in the database (OwnedService):
// the services it created through an apply, or imported. The plan changes only those; the rest of
// the director's table is foreign and left alone (packages/lvs plan/ownership.ts).
import { type ClusterSpec, type Ownership, ownershipKey, type ServiceSpec } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { lastAppliedDesired } from "./last-applied.ts";

export type OwnershipVia = "created" | "imported";

/** The cluster's ownership on a director, with the panel's other clusters' services there. */
export async function loadOwnership(
  db: Db,
  clusterId: string,
  directorHostId: string,
  removeForeign = false,
): Promise<Ownership> {
  await seedFromLastApply(db, clusterId, directorHostId);
  const rows = await db.ownedService.findMany({
    where: { directorHostId },
    select: { clusterId: true, key: true, cluster: { select: { name: true } } },
  });
  const owned = new Set<string>();
  const others = new Map<string, string>();
  for (const row of rows) {
    if (row.clusterId === clusterId) owned.add(row.key);
    else others.set(row.key, row.cluster.name);
  }
  return { owned, others, removeForeign };
}

/**
 * Before an apply runs: the cluster owns what it is about to create, so a process killed half-way
 * still knows the services it made. Returns the keys it owned before, for recordOutcome.
 */
export async function recordIntent(
  db: Db,
  clusterId: string,
  directorHostId: string,
  desired: ClusterSpec,
): Promise<string[]> {
  const before = await ownedKeys(db, clusterId, directorHostId);
  const keys = desired.services.map(ownershipKey).filter((k) => !before.includes(k));
  await recordOwned(db, clusterId, directorHostId, keys, "created");
  return before;
}

/**
 * After an apply: succeeded, the cluster owns exactly what it applied; rolled back, what it owned
 * before; failed half-way (the rollback did not finish), the union stays, since those services
 * may be on the director and are the cluster's to clean up.
 */
export async function recordOutcome(
  db: Db,
  clusterId: string,
  directorHostId: string,
  status: "succeeded" | "rolled_back" | "failed",
  desired: ClusterSpec,
  before: readonly string[],
): Promise<void> {
  if (status === "failed") return;
  const keep = new Set(status === "succeeded" ? desired.services.map(ownershipKey) : before);
  await db.ownedService.deleteMany({
    where: { clusterId, directorHostId, key: { notIn: [...keep] } },
  });
}

/** What the director holds of the cluster now, as far as the panel knows (the drift baseline). */
export async function recordKnownTable(
  db: Pick<Db, "cluster">,
  clusterId: string,
  services: readonly ServiceSpec[],
): Promise<void> {
  await db.cluster.update({
    where: { id: clusterId },
    data: { knownTable: JSON.stringify(services) },
  });
}

/** Adds services to what a cluster owns (an import). */
export async function recordOwned(
  db: Pick<Db, "ownedService">,
  clusterId: string,
  directorHostId: string,
  keys: readonly string[],
  via: OwnershipVia,
): Promise<void> {
  for (const key of keys) {
    await db.ownedService.upsert({
      where: { directorHostId_key: { directorHostId, key } },
      create: { clusterId, directorHostId, key, via },
      update: {},
    });
  }
}

async function ownedKeys(db: Db, clusterId: string, directorHostId: string): Promise<string[]> {
  const rows = await db.ownedService.findMany({
    where: { clusterId, directorHostId },
    select: { key: true },
  });
  return rows.map((r) => r.key);
}

/**
 * Clusters applied before ownership was recorded: they own what their last successful apply put
 * on the director. Once, the first time the cluster is planned with no record at all.
 */
async function seedFromLastApply(db: Db, clusterId: string, directorHostId: string) {
  if ((await db.ownedService.count({ where: { clusterId } })) > 0) return;
  const spec = (await lastAppliedDesired(db, clusterId)).spec;
  if (!spec) return;
  const taken = new Set(
    (await db.ownedService.findMany({ where: { directorHostId }, select: { key: true } })).map(
      (r) => r.key,
    ),
  );
  const keys = spec.services.map(ownershipKey).filter((k) => !taken.has(k));
  await recordOwned(db, clusterId, directorHostId, keys, "created");
}
