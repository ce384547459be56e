// The audit log: every change made through the API, with who, when, and before/after.
import type { ApplyStatus, AuditQuery } from "@lvs-panel/contract";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../plugins/db.ts";
import type { SessionUser } from "./auth-service.ts";

type AuditClient = Pick<Prisma.TransactionClient, "auditLog">;

export async function recordAudit(
  db: AuditClient,
  user: SessionUser | null,
  action: string,
  entity: { type: string; id?: string | null },
  before: unknown,
  after: unknown,
): Promise<void> {
  await db.auditLog.create({
    data: {
      userId: user?.id ?? null,
      username: user?.username ?? "system",
      action,
      entityType: entity.type,
      entityId: entity.id ?? null,
      before: before === undefined ? null : JSON.stringify(before),
      after: after === undefined ? null : JSON.stringify(after),
    },
  });
}

/**
 * Which entries are about a cluster: the cluster's own (its director and applies are recorded
 * under its id), and those of its services and realservers, found by their ids now or, once
 * deleted, by the cluster or service id their recorded DTO names.
 */
async function aboutCluster(db: Db, clusterId: string): Promise<Prisma.AuditLogWhereInput> {
  const services = await db.virtualService.findMany({
    where: { clusterId },
    select: { id: true, realservers: { select: { id: true } } },
  });
  const serviceIds = services.map((s) => s.id);
  const realserverIds = services.flatMap((s) => s.realservers.map((rs) => rs.id));
  const recorded = (key: string, id: string): Prisma.AuditLogWhereInput[] => {
    const text = `"${key}":${JSON.stringify(id)}`;
    return [{ before: { contains: text } }, { after: { contains: text } }];
  };
  return {
    OR: [
      { entityId: clusterId },
      { entityType: "service", entityId: { in: serviceIds } },
      { entityType: "service", OR: recorded("clusterId", clusterId) },
      { entityType: "realserver", entityId: { in: realserverIds } },
      ...serviceIds.map((id) => ({ entityType: "realserver", OR: recorded("serviceId", id) })),
    ],
  };
}

function actionFilter(action: string): Prisma.AuditLogWhereInput {
  return action.includes(".") ? { action } : { action: { startsWith: `${action}.` } };
}

/** The apply an apply.start / apply.finish entry names (`after.applyId`). */
function applyIdOf(action: string, after: unknown): string | null {
  if (!action.startsWith("apply.") || typeof after !== "object" || after === null) return null;
  const id = (after as { applyId?: unknown }).applyId;
  return typeof id === "string" ? id : null;
}

/** The audit log, newest first, narrowed by entity, cluster, user and action. */
export async function listAudit(db: Db, query: AuditQuery) {
  const where: Prisma.AuditLogWhereInput[] = [];
  if (query.entityId) where.push({ entityId: query.entityId });
  if (query.clusterId) where.push(await aboutCluster(db, query.clusterId));
  if (query.user) where.push({ username: query.user });
  if (query.action) where.push(actionFilter(query.action));
  const rows = await db.auditLog.findMany({
    where: where.length > 0 ? { AND: where } : {},
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  const entries = rows.map((row) => {
    const after = row.after === null ? null : (JSON.parse(row.after) as unknown);
    return {
      id: row.id,
      at: row.at.toISOString(),
      username: row.username,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      before: row.before === null ? null : (JSON.parse(row.before) as unknown),
      after,
      applyId: applyIdOf(row.action, after),
    };
  });
  // An apply.start entry is written before the apply runs: its outcome is the apply's status now.
  const applyIds = [...new Set(entries.flatMap((e) => (e.applyId ? [e.applyId] : [])))];
  const applies =
    applyIds.length === 0
      ? []
      : await db.apply.findMany({
          where: { id: { in: applyIds } },
          select: { id: true, clusterId: true, status: true },
        });
  const applyOf = new Map(applies.map((a) => [a.id, a]));
  return entries.map(({ applyId, ...entry }) => {
    const apply = applyId ? applyOf.get(applyId) : undefined;
    return {
      ...entry,
      apply: apply
        ? { id: apply.id, clusterId: apply.clusterId, status: apply.status as ApplyStatus }
        : null,
    };
  });
}
