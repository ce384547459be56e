// Every change made through the API is a write, its answer and its audit entry; they commit
// together or not at all, so the log never shows a change that did not happen (or misses one).
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../plugins/db.ts";
import { recordAudit } from "./audit.ts";
import type { SessionUser } from "./auth-service.ts";

export type Tx = Prisma.TransactionClient;

export interface AuditedWrite<Row extends { id: string }, Dto> {
  /** The audit action, e.g. "service.update". */
  action: string;
  /** The audited entity's type; its id is the written row's. */
  entityType: string;
  /** The entity as it was; undefined for a create. */
  before: unknown;
  write(tx: Tx): Promise<Row>;
  /** The answer built from the written row (null for a delete). */
  toDto(row: Row): Dto;
  /** What the entry records as the entity after the write; the answer unless given. */
  audited?(dto: Dto): unknown;
}

/** Runs the write in a transaction and records its audit entry in the same one. */
export async function auditedWrite<Row extends { id: string }, Dto>(
  db: Db,
  user: SessionUser,
  spec: AuditedWrite<Row, Dto>,
): Promise<Dto> {
  return db.$transaction(async (tx) => {
    const row = await spec.write(tx);
    const dto = spec.toDto(row);
    const after = spec.audited ? spec.audited(dto) : dto;
    await recordAudit(
      tx,
      user,
      spec.action,
      { type: spec.entityType, id: row.id },
      spec.before,
      after,
    );
    return dto;
  });
}
