// Steps the last successful apply could not run because their realserver was unreachable. They
// stay listed here until an apply reaches the host and runs them.
import { usePendingHostStepsQuery } from "../../api/applies.ts";
import { pluralize } from "../../lib/format.ts";
import { UnreachableHostCard } from "./apply/UnreachableHostCard.tsx";

export function PendingHostSteps({ clusterId }: { clusterId: string }) {
  const pending = usePendingHostStepsQuery(clusterId);
  const hosts = pending.data?.hosts ?? [];
  if (hosts.length === 0) return null;
  const count = hosts.reduce((n, h) => n + h.steps.length, 0);
  return (
    <section aria-labelledby="pending-host-steps-heading" className="space-y-3">
      <div>
        <h2 id="pending-host-steps-heading" className="text-base font-semibold text-slate-900">
          Pending on unreachable hosts
        </h2>
        <p className="text-sm text-slate-500">
          {pluralize(count, "step")} could not run because{" "}
          {pluralize(hosts.length, "host was", "hosts were")} unreachable. The director is already
          as applied; these tidy up the realserver and run on the next apply that reaches it.
        </p>
      </div>
      {hosts.map((h) => (
        <UnreachableHostCard
          key={h.address}
          hostName={h.hostName}
          address={h.address}
          reason={h.reason}
          pending={h.steps}
          since={h.since}
        />
      ))}
    </section>
  );
}
