// The audit log: every change made through the API, with who, when, and before/after.
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

/** The audit log, newest first, optionally for one entity. */
export async function listAudit(db: Db, query: { limit: number; entityId?: string | undefined }) {
  const rows = await db.auditLog.findMany({
    where: query.entityId ? { entityId: query.entityId } : {},
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    username: row.username,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
  }));
}
