// "Pending changes": the cluster's desired state differs from what its last successful apply put
// on the hosts. Saving a change (a drain, a switch) does not reach the director by itself; this
// bar says so, lists what is waiting, and leads to Plan & apply.
import { usePendingChanges } from "../../api/pending.ts";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";

const SHOWN = 6;

export function PendingChangesBar({
  clusterId,
  onPlan,
}: {
  clusterId: string;
  onPlan: () => void;
}) {
  const pending = usePendingChanges(clusterId);
  const data = pending.data;
  if (!data?.pending) return null;
  const more = data.changes.length - SHOWN;
  return (
    <section
      aria-label="Pending changes"
      className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <div>
        <p className="font-medium">
          Pending changes: saved, not on the hosts yet
          {data.applied ? "" : " (this cluster was never applied)"}
        </p>
        <ul className="mt-1 list-disc pl-5">
          {data.changes.slice(0, SHOWN).map((line) => (
            <li key={line}>{line}</li>
          ))}
          {more > 0 ? <li>and {more} more</li> : null}
          {data.pendingHostSteps > 0 ? (
            <li>{data.pendingHostSteps} steps waiting on realservers that could not be reached</li>
          ) : null}
        </ul>
      </div>
      <IfCanEdit>
        <Button variant="primary" size="sm" onClick={onPlan}>
          Plan &amp; apply
        </Button>
      </IfCanEdit>
    </section>
  );
}
