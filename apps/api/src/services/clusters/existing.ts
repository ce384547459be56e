// The rows a change starts from, or the not-found error the API answers with, and the hosts a
// change may point at.
import type { Db } from "../../plugins/db.ts";
import { clusterInclude } from "../cluster-dto.ts";
import { badField, notFound } from "../errors.ts";

export async function existingCluster(db: Db, id: string) {
  const cluster = await db.cluster.findUnique({ where: { id }, include: clusterInclude });
  if (!cluster) throw notFound("cluster");
  return cluster;
}

export async function existingService(db: Db, id: string) {
  const service = await db.virtualService.findUnique({
    where: { id },
    include: { realservers: true },
  });
  if (!service) throw notFound("service");
  return service;
}

export async function existingRealServer(db: Db, id: string) {
  const realserver = await db.realServer.findUnique({ where: { id } });
  if (!realserver) throw notFound("realserver");
  return realserver;
}

/** A host reference must name a host the panel has; null or absent means none. */
export async function checkHostExists(db: Db, field: string, hostId: string | null | undefined) {
  if (!hostId) return;
  if (!(await db.host.findUnique({ where: { id: hostId } }))) throw badField(field, "no such host");
}
