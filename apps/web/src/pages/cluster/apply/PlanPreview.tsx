// The plan as the operator reviews it: what changes, what to watch out for, and per host the
// exact commands in the order they will run.
import { planChangeList } from "@lvs-panel/lvs";
import type { Cluster, Plan } from "../../../api/types.ts";
import { IssueList } from "../../../components/IssueList.tsx";
import { AlertIcon, CheckCircleIcon } from "../../../components/icons.tsx";
import { pluralize } from "../../../lib/format.ts";
import { describeIssueField } from "../issuePlace.ts";
import { HostPlan } from "./HostPlan.tsx";
import { NotManagedServices } from "./NotManagedServices.tsx";
import { isOwnershipLine } from "./planOwnership.ts";
import { UnreachableHostCard } from "./UnreachableHostCard.tsx";

function lineTone(line: string): string {
  if (/^(remove|delete|drain|disable|turn \S+ off)\b/i.test(line)) return "bg-red-500";
  if (/^(add|create)\b/i.test(line)) return "bg-emerald-500";
  return "bg-amber-500";
}

export function PlanPreview({ plan, cluster }: { plan: Plan; cluster?: Cluster | undefined }) {
  const stepCount = plan.hosts.reduce((sum, h) => sum + h.steps.length, 0);
  // In words ("Drain 10.10.0.11 in TCP 10.10.0.200:80"); what is left alone, and the foreign
  // services a takeover removes, are listed service by service below, with their owner.
  const lines = planChangeList(plan.summary).filter((line) => !isOwnershipLine(line));
  return (
    <div className="space-y-5">
      {plan.empty && plan.errors.length === 0 ? (
        <div className="flex items-start gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-emerald-600" />
          <div>
            <p className="font-medium">Hosts already match the cluster — nothing to apply</p>
            <p className="mt-0.5 text-emerald-700">
              The director's IPVS table and every managed realserver are as configured. Change a
              service or realserver first, then plan again.
            </p>
          </div>
        </div>
      ) : null}

      {lines.length > 0 ? (
        <section aria-labelledby="plan-summary-heading">
          <h3 id="plan-summary-heading" className="text-sm font-semibold text-slate-900">
            What changes
            <span className="ml-2 text-xs font-normal text-slate-500">
              {pluralize(stepCount, "step")} on {pluralize(plan.hosts.length, "host")}
            </span>
          </h3>
          <ul className="mt-2 space-y-1 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-800">
            {lines.map((line) => (
              <li key={line} className="flex items-baseline gap-2.5">
                <span
                  aria-hidden="true"
                  className={`relative -top-px inline-block size-1.5 shrink-0 rounded-full ${lineTone(line)}`}
                />
                <span>{line}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <NotManagedServices summary={plan.summary} />

      {plan.errors.length + plan.warnings.length > 0 ? (
        <section aria-labelledby="plan-issues-heading">
          <h3 id="plan-issues-heading" className="text-sm font-semibold text-slate-900">
            {plan.errors.length > 0 ? "Problems to fix before applying" : "Warnings"}
          </h3>
          <div className="mt-2">
            <IssueList
              errors={plan.errors}
              warnings={plan.warnings}
              describeField={(field) => describeIssueField(field, cluster)}
            />
          </div>
        </section>
      ) : null}

      {plan.readErrors.length > 0 ? (
        <section
          aria-labelledby="plan-read-errors-heading"
          className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          <h3 id="plan-read-errors-heading" className="flex items-center gap-2 font-medium">
            <AlertIcon className="size-4 text-amber-500" />
            Some of the hosts' current state could not be read
          </h3>
          <p className="mt-1 text-amber-800">
            These lines were not understood and are left out of the comparison; the plan may
            re-create or miss what they describe.
          </p>
          <ul className="mt-2 space-y-0.5 font-mono text-xs text-amber-900">
            {plan.readErrors.map((line) => (
              <li key={line} className="break-all">
                {line}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {plan.unreachable.length > 0 ? (
        <section aria-labelledby="plan-unreachable-heading" className="space-y-3">
          <h3 id="plan-unreachable-heading" className="text-sm font-semibold text-slate-900">
            Hosts that cannot be reached
            <span className="ml-2 text-xs font-normal text-slate-500">
              nothing runs on them in this apply
            </span>
          </h3>
          {plan.unreachable.map((host) => (
            <UnreachableHostCard
              key={host.key}
              hostName={host.hostName}
              address={host.address}
              reason={host.reason}
              pending={host.pending}
              needed={host.needed}
              since={host.pendingSince}
            />
          ))}
        </section>
      ) : null}

      {plan.hosts.length > 0 ? (
        <section aria-labelledby="plan-hosts-heading" className="space-y-3">
          <h3 id="plan-hosts-heading" className="text-sm font-semibold text-slate-900">
            Commands per host
            <span className="ml-2 text-xs font-normal text-slate-500">
              phases run in order; inside a phase the hosts run in parallel
            </span>
          </h3>
          {plan.hosts.map((host) => (
            <HostPlan key={host.key} host={host} />
          ))}
        </section>
      ) : null}
    </div>
  );
}
