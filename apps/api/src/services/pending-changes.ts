// The cluster's changes not yet on its hosts: its desired state against what its last successful
// apply applied, in words, and which realservers the director does not carry as the page shows
// them yet ("draining (pending)"). From the database only: nothing is read from a host.
import type { PendingChanges } from "@lvs-panel/contract";
import { canonicalAddress, effectiveWeight, serviceKey, specChanges } from "@lvs-panel/lvs";
import type { Db } from "../plugins/db.ts";
import { lastAppliedDesired } from "./apply/last-applied.ts";
import { toClusterSpec } from "./cluster-dto.ts";
import { existingCluster } from "./clusters/existing.ts";

export async function pendingChanges(db: Db, clusterId: string): Promise<PendingChanges> {
  const row = await existingCluster(db, clusterId);
  const desired = toClusterSpec(row);
  const applied = await lastAppliedDesired(db, clusterId);
  const before = applied.spec ?? null;
  const changes = specChanges(before, desired);
  const appliedWeight = new Map<string, number>();
  for (const s of before?.services ?? []) {
    for (const rs of s.realservers) {
      appliedWeight.set(
        `${serviceKey(s)}|${canonicalAddress(rs.address)}|${rs.port}`,
        effectiveWeight(rs),
      );
    }
  }
  const realservers: PendingChanges["realservers"] = [];
  for (const [i, s] of row.services.entries()) {
    const spec = desired.services[i];
    if (!spec) continue;
    for (const [j, rs] of s.realservers.entries()) {
      const want = spec.realservers[j];
      if (!want) continue;
      const key = `${serviceKey(spec)}|${canonicalAddress(rs.address)}|${rs.port}`;
      const was = appliedWeight.get(key);
      if (was === undefined) realservers.push({ id: rs.id, change: "added" });
      else if (was !== effectiveWeight(want)) realservers.push({ id: rs.id, change: "weight" });
    }
  }
  const pendingSteps = Object.values(applied.pendingHosts ?? {}).reduce(
    (n, h) => n + h.steps.length,
    0,
  );
  return {
    pending: changes.length > 0 || pendingSteps > 0,
    applied: before !== null,
    changes,
    realservers,
    pendingHostSteps: pendingSteps,
  };
}
