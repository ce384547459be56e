// Two clusters may share a director, each owning its own services; they must never both claim one
// service (the same protocol, VIP and port, or the same mark), or each apply would undo the other.
import { liveServiceKey, type Protocol, serviceKey } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { badField } from "../errors.ts";

interface ServiceIdentity {
  protocol: string;
  vip: string;
  port: number;
  fwmark?: number | null | undefined;
}

const identity = (s: ServiceIdentity) => ({
  protocol: s.protocol as Protocol,
  vip: s.vip,
  port: s.port,
  fwmark: s.fwmark ? s.fwmark : null,
});

/** The other clusters' services on a director host, by key, with the owning cluster's name. */
async function claimsOnHost(db: Db, clusterId: string, hostId: string) {
  const others = await db.virtualService.findMany({
    where: { cluster: { id: { not: clusterId }, directors: { some: { hostId } } } },
    select: {
      protocol: true,
      vip: true,
      port: true,
      fwmark: true,
      cluster: { select: { name: true } },
    },
  });
  return new Map(others.map((s) => [serviceKey(identity(s)), s.cluster.name]));
}

/** Refuses services another cluster on the same director already has (`field` names the input). */
export async function refuseSharedClaims(
  db: Db,
  clusterId: string,
  services: readonly ServiceIdentity[],
  field: string,
): Promise<void> {
  const directors = await db.director.findMany({ where: { clusterId }, select: { hostId: true } });
  if (services.length === 0) return;
  for (const director of directors) {
    await refuseOnHost(db, clusterId, director.hostId, services, field);
  }
}

/** As refuseSharedClaims, for a director host the cluster is about to move to. */
export async function refuseOnHost(
  db: Db,
  clusterId: string,
  hostId: string,
  services: readonly ServiceIdentity[],
  field: string,
): Promise<void> {
  const claims = await claimsOnHost(db, clusterId, hostId);
  for (const s of services) {
    const owner = claims.get(serviceKey(identity(s)));
    if (owner === undefined) continue;
    throw badField(
      field,
      `${liveServiceKey(identity(s))} is already a service of cluster "${owner}" on the same director`,
    );
  }
}
