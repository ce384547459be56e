// Every apply of the cluster, newest first: outcome, who, when, and its name (what it changed).
import { Link } from "react-router";
import { useClusterAppliesQuery } from "../../../api/applies.ts";
import type { Apply } from "../../../api/types.ts";
import { Card } from "../../../components/Card.tsx";
import { ChevronRightIcon } from "../../../components/icons.tsx";
import { Spinner } from "../../../components/Spinner.tsx";
import { formatDateTime, formatDuration, formatRelative, pluralize } from "../../../lib/format.ts";
import { auditPath } from "../../audit/AuditPage.tsx";
import { ApplyStatusBadge } from "./ApplyStatusBadge.tsx";
import { planName } from "./planName.ts";

export function applyHref(apply: Pick<Apply, "id" | "clusterId">): string {
  return `/clusters/${encodeURIComponent(apply.clusterId)}/applies/${encodeURIComponent(apply.id)}`;
}

export function ApplyHistory({
  clusterId,
  clusterName,
}: {
  clusterId: string;
  clusterName?: string;
}) {
  const history = useClusterAppliesQuery(clusterId);
  const applies = history.data ?? [];
  return (
    <Card
      title="Apply history"
      actions={
        <>
          {history.isFetching ? (
            <Spinner className="size-4 text-slate-400" />
          ) : history.data ? (
            <span className="text-xs text-slate-500">
              {pluralize(applies.length, "apply", "applies")}
            </span>
          ) : null}
          <Link
            to={auditPath(clusterId, clusterName && `cluster ${clusterName}`)}
            className="rounded text-xs font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            View in audit log
          </Link>
        </>
      }
    >
      {history.isPending ? (
        <p className="px-5 py-4 text-sm text-slate-500">Loading the history…</p>
      ) : history.isError ? (
        <p role="alert" className="px-5 py-4 text-sm text-red-700">
          Could not load the apply history: {history.error.message}
        </p>
      ) : applies.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">
          Nothing applied yet. Use <span className="font-medium text-slate-700">Plan changes</span>{" "}
          to review the exact commands for each host, then apply them.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {applies.map((apply) => (
            <li key={apply.id}>
              <HistoryRow apply={apply} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function HistoryRow({ apply }: { apply: Apply }) {
  const name = planName(apply.summary);
  const took = apply.finishedAt
    ? formatDuration(new Date(apply.finishedAt).getTime() - new Date(apply.startedAt).getTime())
    : null;
  return (
    <Link
      to={applyHref(apply)}
      className="group flex items-start gap-4 px-5 py-3 hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
    >
      <div className="w-24 shrink-0 pt-0.5">
        <ApplyStatusBadge status={apply.status} />
      </div>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm text-slate-900" title={name}>
          {name === "No changes" ? (
            <span className="text-slate-500">No changes recorded</span>
          ) : (
            name
          )}
        </p>
        {apply.error && apply.status !== "succeeded" ? (
          <p
            className={`mt-0.5 truncate text-xs ${apply.status === "rolled_back" ? "text-amber-800" : "text-red-700"}`}
          >
            {apply.error}
          </p>
        ) : null}
        <p className="mt-0.5 text-xs text-slate-500">
          {apply.user ?? "unknown user"} ·{" "}
          <time dateTime={apply.startedAt} title={formatDateTime(apply.startedAt)}>
            {formatRelative(apply.startedAt)}
          </time>
          {took ? ` · took ${took}` : apply.status === "running" ? " · still running" : ""}
        </p>
      </div>
      <ChevronRightIcon className="mt-1 size-4 shrink-0 text-slate-300 group-hover:text-slate-500" />
    </Link>
  );
}
