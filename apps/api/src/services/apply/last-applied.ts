// What a cluster's last successful apply recorded as applied (its stored `desired`): the base for
// realservers that still need cleaning up, for legacy ownership and for the drift check.
import type { Db } from "../../plugins/db.ts";
import type { AppliedDesired } from "./context.ts";

/** The last successful apply's record; {} when the cluster was never applied. */
export async function lastAppliedDesired(
  db: Pick<Db, "apply">,
  clusterId: string,
): Promise<Partial<AppliedDesired>> {
  const last = await db.apply.findFirst({
    where: { clusterId, status: "succeeded" },
    orderBy: { startedAt: "desc" },
    select: { desired: true },
  });
  return last ? appliedDesiredOf(last.desired) : {};
}

/** An apply's stored `desired`, read leniently: a record that does not parse holds nothing. */
export function appliedDesiredOf(desired: string): Partial<AppliedDesired> {
  try {
    return JSON.parse(desired) as Partial<AppliedDesired>;
  } catch {
    return {};
  }
}
