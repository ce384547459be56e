// What a plan or an apply is called: the API's title, or for an apply stored before titles
// existed, the same title made from its summary here.
import { planTitle } from "@lvs-panel/lvs";
import type { PlanSummary } from "../../../api/types.ts";

export function planName(summary: PlanSummary): string {
  return summary.title ?? planTitle(summary);
}
