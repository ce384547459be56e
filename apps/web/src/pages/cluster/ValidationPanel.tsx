// What the API's checks say about the cluster as configured: errors red, warnings amber.
import { useClusterValidationQuery } from "../../api/clusters.ts";
import type { Issue } from "../../api/types.ts";
import { Card } from "../../components/Card.tsx";
import { AlertIcon, CheckCircleIcon, XCircleIcon } from "../../components/icons.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { pluralize } from "../../lib/format.ts";

export function ValidationPanel({ clusterId }: { clusterId: string }) {
  const report = useClusterValidationQuery(clusterId);
  const errors = report.data?.errors ?? [];
  const warnings = report.data?.warnings ?? [];
  const summary = report.data
    ? errors.length + warnings.length === 0
      ? "No problems found"
      : `${pluralize(errors.length, "error")}, ${pluralize(warnings.length, "warning")}`
    : null;

  return (
    <Card
      title="Validation"
      actions={
        report.isFetching ? (
          <Spinner className="size-4 text-slate-400" />
        ) : summary ? (
          <span className="text-xs text-slate-500">{summary}</span>
        ) : null
      }
    >
      <div className="px-5 py-4">
        {report.isPending ? (
          <p className="text-sm text-slate-500">Checking the configuration…</p>
        ) : report.isError ? (
          <p role="alert" className="text-sm text-red-700">
            Could not run the checks: {report.error.message}
          </p>
        ) : errors.length + warnings.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-emerald-700">
            <CheckCircleIcon className="size-5" />
            The configuration passes every check.
          </p>
        ) : (
          <ul className="space-y-2">
            {errors.map((issue) => (
              <IssueItem
                key={`e-${issue.code}-${issue.field}-${issue.message}`}
                issue={issue}
                severity="error"
              />
            ))}
            {warnings.map((issue) => (
              <IssueItem
                key={`w-${issue.code}-${issue.field}-${issue.message}`}
                issue={issue}
                severity="warning"
              />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

function IssueItem({ issue, severity }: { issue: Issue; severity: "error" | "warning" }) {
  const isError = severity === "error";
  return (
    <li
      className={`flex gap-3 rounded-lg border px-3 py-2.5 text-sm ${
        isError
          ? "border-red-200 bg-red-50 text-red-800"
          : "border-amber-200 bg-amber-50 text-amber-900"
      }`}
    >
      {isError ? (
        <XCircleIcon className="mt-0.5 size-4 shrink-0 text-red-500" />
      ) : (
        <AlertIcon className="mt-0.5 size-4 shrink-0 text-amber-500" />
      )}
      <div className="min-w-0">
        <p>
          <span className="sr-only">{isError ? "Error: " : "Warning: "}</span>
          {issue.message}
        </p>
        <p className={`mt-0.5 font-mono text-xs ${isError ? "text-red-600" : "text-amber-700"}`}>
          {issue.code}
          {issue.field ? ` · ${issue.field}` : ""}
        </p>
      </div>
    </li>
  );
}
