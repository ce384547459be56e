// What a plan says about the director's services this cluster does not own: those it leaves
// alone (another cluster's, or no cluster's) and the foreign ones it removes when told to.
import type { PlanSummary } from "../../../api/types.ts";

/** Services no cluster owns: left alone, or (removeForeign) removed by this plan. */
export function foreignServiceCount(summary: PlanSummary): number {
  const left = (summary.notManaged ?? []).filter((s) => s.owner === null).length;
  return left + (summary.foreignRemoved?.length ?? 0);
}

/**
 * The summary lines the ownership section says service by service (with each owner): "not managed
 * by this cluster: …", "cluster "x" manages N more services …" and "remove N services this
 * cluster does not manage: …".
 */
export function isOwnershipLine(line: string): boolean {
  return (
    /^not managed by this cluster:/i.test(line) ||
    /^cluster ".*" manages \d+ more /i.test(line) ||
    /^remove \d+ services? this cluster does not manage:/i.test(line)
  );
}
