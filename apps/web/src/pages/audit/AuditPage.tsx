// Who changed what and when, newest first; a row opens to show the change key by key, and an
// apply's row shows how it ended, linked to its page. `?entityId=` narrows it to one thing (the
// cluster page links here with its id and name); `?clusterId=`, `?user=` and `?action=` are the
// filter bar's.
import { Fragment, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { AUDIT_LIMIT, useAuditQuery } from "../../api/audit.ts";
import type { AuditEntry } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { ChevronRightIcon, HistoryIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { ApplyStatusBadge } from "../cluster/apply/ApplyStatusBadge.tsx";
import { AuditDiff } from "./AuditDiff.tsx";
import { AuditFilterBar, FILTER_KEYS } from "./AuditFilterBar.tsx";
import { describeAction, describeSubject, knownNames, summarizeChange } from "./auditDiff.ts";

const verbTone = (action: string) => {
  if (action.endsWith(".delete") || action.endsWith(".revoke")) return "red" as const;
  if (action.endsWith(".create")) return "green" as const;
  if (action.startsWith("apply.")) return "indigo" as const;
  return "neutral" as const;
};

const COLUMNS: TableColumn[] = [
  { header: "Details", headerHidden: true, className: "w-10" },
  { header: "Time" },
  { header: "User" },
  { header: "Action" },
  { header: "What" },
  { header: "Change", className: "hidden md:table-cell" },
];

/** The link other pages use to show the log for one thing. */
export function auditPath(entityId: string, label?: string): string {
  const params = new URLSearchParams({ entityId });
  if (label) params.set("label", label);
  return `/audit?${params}`;
}

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const entityId = params.get("entityId");
  const label = params.get("label");
  const filters = {
    clusterId: params.get("clusterId") ?? "",
    user: params.get("user") ?? "",
    action: params.get("action") ?? "",
  };
  const filtered = Object.values(filters).some(Boolean);
  const audit = useAuditQuery({ entityId: entityId ?? "", ...filters });
  const setFilters = (next: typeof filters) => {
    const out = new URLSearchParams(params);
    for (const key of FILTER_KEYS) {
      if (next[key]) out.set(key, next[key]);
      else out.delete(key);
    }
    setParams(out, { replace: true });
  };
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const names = knownNames(audit.data ?? []);
  const filterBy = (entry: AuditEntry) => {
    if (!entry.entityId) return;
    const out = new URLSearchParams(params);
    out.set("entityId", entry.entityId);
    out.set("label", `${entry.entityType} ${describeSubject(entry, names)}`);
    setParams(out);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Every change made through the panel or the API, newest first (latest ${AUDIT_LIMIT}).`}
      />
      <AuditFilterBar
        filters={filters}
        onChange={setFilters}
        usernames={[...new Set((audit.data ?? []).map((e) => e.username))]}
      />
      {entityId ? (
        <div
          role="status"
          className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-2.5 text-sm text-indigo-900"
        >
          <span>
            Showing entries for <span className="font-semibold">{label ?? entityId}</span>
            {label ? (
              <span className="ml-1 font-mono text-xs text-indigo-700">({entityId})</span>
            ) : null}
          </span>
          <Link
            to={`/audit?${withoutEntity(params)}`}
            className="rounded font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Show all entries
          </Link>
        </div>
      ) : null}
      {audit.isPending ? (
        <LoadingState label="Loading the audit log…" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => audit.refetch()} />
      ) : audit.data.length === 0 ? (
        <EmptyState icon={<HistoryIcon className="size-10" />} title="Nothing recorded yet">
          {entityId || filtered
            ? "Nothing recorded matches. Clear the filters or show all entries to see the whole log."
            : "Changes to clusters, hosts, users and tokens, and every apply, appear here with who made them."}
        </EmptyState>
      ) : (
        <Table columns={COLUMNS}>
          {audit.data.map((entry) => {
            const expanded = open.has(entry.id);
            const subject = describeSubject(entry, names);
            const detailsId = `audit-${entry.id}`;
            return (
              <Fragment key={entry.id}>
                <tr className={expanded ? "bg-slate-50" : "hover:bg-slate-50"}>
                  <td className="py-1.5 pl-3">
                    <button
                      type="button"
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      aria-label={`Details: ${describeAction(entry.action)} ${subject}`}
                      onClick={() => toggle(entry.id)}
                      className="flex size-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      <ChevronRightIcon
                        className={`size-4 transition-transform ${expanded ? "rotate-90" : ""}`}
                      />
                    </button>
                  </td>
                  <td
                    className="px-3 py-2 whitespace-nowrap text-slate-700"
                    title={formatDateTime(entry.at)}
                  >
                    <time dateTime={entry.at}>{formatRelative(entry.at)}</time>
                  </td>
                  <td className="px-3 py-2 font-medium text-slate-900">{entry.username}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Badge tone={verbTone(entry.action)}>{describeAction(entry.action)}</Badge>
                  </td>
                  <td className="max-w-64 px-3 py-2">
                    <span className="block truncate text-slate-800" title={subject}>
                      {subject || <span className="text-slate-400">—</span>}
                    </span>
                  </td>
                  <td className="hidden px-5 py-2 text-xs text-slate-500 md:table-cell">
                    {entry.apply ? <ApplyOutcome apply={entry.apply} /> : summarizeChange(entry)}
                  </td>
                </tr>
                {expanded ? (
                  <tr id={detailsId} className="bg-slate-50">
                    <td />
                    <td colSpan={5} className="px-3 pt-1 pb-4">
                      <div className="rounded-lg bg-white p-3 ring-1 ring-slate-200">
                        <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
                          <span>
                            {formatDateTime(entry.at)} ·{" "}
                            <span className="font-mono">{entry.action}</span>
                            {entry.entityId ? (
                              <>
                                {" "}
                                · {entry.entityType}{" "}
                                <span className="font-mono">{entry.entityId}</span>
                              </>
                            ) : null}
                          </span>
                          {entry.entityId && entry.entityId !== entityId ? (
                            <button
                              type="button"
                              onClick={() => filterBy(entry)}
                              className="rounded font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                            >
                              Only this {entry.entityType}
                            </button>
                          ) : null}
                        </div>
                        <AuditDiff entry={entry} />
                      </div>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table>
      )}
    </>
  );
}

/** The page's query without the one-entity narrowing (the filter bar's choices stay). */
function withoutEntity(params: URLSearchParams): string {
  const out = new URLSearchParams(params);
  out.delete("entityId");
  out.delete("label");
  return out.toString();
}

/** How an apply ended (or that it still runs), and the way to its page. */
function ApplyOutcome({ apply }: { apply: NonNullable<AuditEntry["apply"]> }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <ApplyStatusBadge status={apply.status} />
      <Link
        to={`/clusters/${encodeURIComponent(apply.clusterId)}/applies/${encodeURIComponent(apply.id)}`}
        className="rounded font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        Open apply
      </Link>
    </span>
  );
}
