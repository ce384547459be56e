// The latest apply next to the cluster's name: whether the hosts got what the page shows.
import { Link } from "react-router";
import { useClusterAppliesQuery } from "../../../api/applies.ts";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { applyHref } from "./ApplyHistory.tsx";
import { ApplyStatusBadge } from "./ApplyStatusBadge.tsx";

export function LastApply({ clusterId }: { clusterId: string }) {
  const history = useClusterAppliesQuery(clusterId);
  const last = history.data?.[0];
  if (!history.data) return null;
  if (!last) {
    return <span className="text-xs text-slate-500">Never applied</span>;
  }
  return (
    <Link
      to={applyHref(last)}
      className="inline-flex items-center gap-2 rounded-md text-xs text-slate-500 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <span>Last apply</span>
      <ApplyStatusBadge status={last.status} />
      <time dateTime={last.startedAt} title={formatDateTime(last.startedAt)}>
        {formatRelative(last.startedAt)}
      </time>
    </Link>
  );
}
