// What the API's checks say about the cluster as configured: errors red, warnings amber, each
// where the page shows it. The same checks (validateCluster) give the plan its warnings, and the
// same list shows them there. "No problems" is said only of what was checked.
import { useClusterValidationQuery } from "../../api/clusters.ts";
import type { Cluster } from "../../api/types.ts";
import { Card } from "../../components/Card.tsx";
import { IssueList } from "../../components/IssueList.tsx";
import { AlertIcon, CheckCircleIcon } from "../../components/icons.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { pluralize } from "../../lib/format.ts";
import { describeIssueField } from "./issuePlace.ts";
import { useCachedCluster } from "./useCachedCluster.ts";

/** What a clean report covered, or why there is not much to check yet. */
function cleanReport(cluster: Cluster | undefined): { ok: boolean; text: string } {
  if (!cluster) return { ok: true, text: "No problems found." };
  const realservers = cluster.services.reduce((n, s) => n + s.realservers.length, 0);
  if (!cluster.director) {
    return {
      ok: false,
      text:
        cluster.services.length === 0
          ? "Nothing to check yet: set the director, then add the services clients connect to."
          : "No director yet: the subnet and return-route checks need its DIP, and nothing can be applied without it. Set the director.",
    };
  }
  if (cluster.services.length === 0) {
    return {
      ok: false,
      text: "The director is set, but there are no services yet: add the VIPs and ports clients connect to.",
    };
  }
  return {
    ok: true,
    text: `No problems found in the director, ${pluralize(cluster.services.length, "service")} and ${pluralize(realservers, "realserver")}.`,
  };
}

export function ValidationPanel({ clusterId }: { clusterId: string }) {
  const report = useClusterValidationQuery(clusterId);
  const cluster = useCachedCluster(clusterId);
  const errors = report.data?.errors ?? [];
  const warnings = report.data?.warnings ?? [];
  const clean = cleanReport(cluster);
  const summary = report.data
    ? errors.length + warnings.length === 0
      ? clean.ok
        ? "No problems found"
        : "Incomplete"
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
          <p
            className={`flex items-center gap-2 text-sm ${clean.ok ? "text-emerald-700" : "text-amber-800"}`}
          >
            {clean.ok ? (
              <CheckCircleIcon className="size-5 shrink-0" />
            ) : (
              <AlertIcon className="size-5 shrink-0 text-amber-500" />
            )}
            {clean.text}
          </p>
        ) : (
          <IssueList
            errors={errors}
            warnings={warnings}
            describeField={(field) => describeIssueField(field, cluster)}
          />
        )}
      </div>
    </Card>
  );
}
