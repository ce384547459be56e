// Leases in the database, so that several panel instances on one PostgreSQL agree on who holds
// what (docs/decisions/0008-several-instances.md). A lease is taken with an atomic insert, or an
// update conditional on its expiry; the same statements serialise on SQLite and PostgreSQL.
import type { Db } from "../../plugins/db.ts";

/** The lease that holds a cluster's one running apply. */
export const applyLeaseKey = (clusterId: string) => `apply:${clusterId}`;

/** The lease of the background work (stats sampler, drift check): one instance does it. */
export const BACKGROUND_LEASE = "background";

/**
 * Takes `key` for `holder` if nobody holds it or its lease expired. Under PostgreSQL's READ
 * COMMITTED, two racing inserts leave one unique violation, and two racing takeovers of an
 * expired lease serialise on the row: the second re-reads `expiresAt`, now in the future.
 */
export async function takeLease(
  db: Db,
  key: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  try {
    await db.lease.create({ data: { key, holder, expiresAt } });
    return true;
  } catch (err) {
    // Held already (a unique violation). By code, not class: each generated client has its own.
    if ((err as { code?: unknown }).code !== "P2002") throw err;
  }
  const taken = await db.lease.updateMany({
    where: { key, expiresAt: { lt: now } },
    data: { holder, expiresAt },
  });
  return taken.count === 1;
}

/** Extends every lease `holder` still holds; returns the keys it holds. */
export async function renewLeases(db: Db, holder: string, ttlMs: number): Promise<Set<string>> {
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.lease.updateMany({ where: { holder }, data: { expiresAt } });
  const held = await db.lease.findMany({ where: { holder }, select: { key: true } });
  return new Set(held.map((l) => l.key));
}

export async function releaseLease(db: Db, key: string, holder: string): Promise<void> {
  await db.lease.deleteMany({ where: { key, holder } });
}
