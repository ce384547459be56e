// What the API's checks say about the cluster as configured: errors red, warnings amber.
import { useClusterValidationQuery } from "../../api/clusters.ts";
import { Card } from "../../components/Card.tsx";
import { IssueList } from "../../components/IssueList.tsx";
import { CheckCircleIcon } from "../../components/icons.tsx";
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
          <IssueList errors={errors} warnings={warnings} />
        )}
      </div>
    </Card>
  );
}
