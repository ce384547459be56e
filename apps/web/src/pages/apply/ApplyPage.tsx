// One apply on its own page (linked from the history): outcome, stages, per-host steps, log.
import { useParams } from "react-router";
import { useApplyQuery } from "../../api/applies.ts";
import { isApiError } from "../../api/client.ts";
import { useClusterQuery } from "../../api/clusters.ts";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { capitalize, formatDateTime } from "../../lib/format.ts";
import { ApplyProgressView } from "../cluster/apply/ApplyProgressView.tsx";
import { ApplyStatusBadge } from "../cluster/apply/ApplyStatusBadge.tsx";
import { NotFoundPage } from "../NotFoundPage.tsx";

export function ApplyPage() {
  const { id = "", applyId = "" } = useParams();
  const cluster = useClusterQuery(id);
  const apply = useApplyQuery(applyId);
  const clusterPath = `/clusters/${encodeURIComponent(id)}`;

  if (apply.isPending) return <LoadingState label="Loading apply…" />;
  if (isApiError(apply.error, 404) || (apply.data && apply.data.clusterId !== id)) {
    return (
      <NotFoundPage
        title="Apply not found"
        message="It may belong to another cluster, or the link is wrong."
        backTo={{ to: clusterPath, label: "Back to the cluster" }}
      />
    );
  }
  const clusterName = cluster.data?.name ?? "Cluster";
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Clusters", to: "/clusters" },
          { label: clusterName, to: clusterPath },
        ]}
        title={apply.data ? `Apply of ${formatDateTime(apply.data.startedAt)}` : "Apply"}
        meta={apply.data ? <ApplyStatusBadge status={apply.data.status} /> : null}
        description={
          apply.data?.summary.lines.length ? (
            <ul className="list-inside list-disc">
              {apply.data.summary.lines.map((line) => (
                <li key={line}>{capitalize(line)}</li>
              ))}
            </ul>
          ) : undefined
        }
      />
      <ApplyProgressView applyId={applyId} clusterId={id} />
    </>
  );
}
