// The director's services this cluster does not own: those the plan leaves alone, with the
// cluster owning each, and the foreign ones it removes because the operator takes the director over.
import type { PlanSummary } from "../../../api/types.ts";
import { pluralize } from "../../../lib/format.ts";

export function NotManagedServices({ summary }: { summary: PlanSummary }) {
  const kept = summary.notManaged ?? [];
  const removed = summary.foreignRemoved ?? [];
  if (kept.length === 0 && removed.length === 0) return null;
  return (
    <div className="space-y-4">
      {removed.length > 0 ? (
        <section aria-labelledby="plan-foreign-removed-heading">
          <h3 id="plan-foreign-removed-heading" className="text-sm font-semibold text-red-700">
            Removed: {pluralize(removed.length, "service")} this cluster does not manage
          </h3>
          <ul className="mt-2 space-y-1 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            {removed.map((service) => (
              <li key={service} className="flex items-baseline gap-2.5">
                <span
                  aria-hidden="true"
                  className="relative -top-px inline-block size-1.5 shrink-0 rounded-full bg-red-500"
                />
                <span>
                  Remove <span className="font-mono">{service}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {kept.length > 0 ? (
        <section aria-labelledby="plan-not-managed-heading">
          <h3 id="plan-not-managed-heading" className="text-sm font-semibold text-slate-900">
            Not managed by this cluster: {pluralize(kept.length, "service")} (left alone)
          </h3>
          <ul className="mt-2 space-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
            {kept.map(({ service, owner }) => (
              <li key={service} className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-mono">{service}</span>
                <span className="text-xs text-slate-500">
                  {owner === null ? "no cluster of the panel" : `cluster “${owner}”`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
