// The audit log: every change made through the API, with who, when, and before/after.
import type { Prisma } from "../generated/prisma/client.ts";
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
