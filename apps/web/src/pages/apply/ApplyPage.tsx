// One apply on its own page (linked from the history), named after what it did: outcome, stages,
// per-host steps, log.
import { planChangeList } from "@lvs-panel/lvs";
import { useParams } from "react-router";
import { useApplyQuery } from "../../api/applies.ts";
import { isApiError } from "../../api/client.ts";
import { useClusterQuery } from "../../api/clusters.ts";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { ApplyProgressView } from "../cluster/apply/ApplyProgressView.tsx";
import { ApplyStatusBadge } from "../cluster/apply/ApplyStatusBadge.tsx";
import { planName } from "../cluster/apply/planName.ts";
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
  const changes = apply.data ? planChangeList(apply.data.summary) : [];
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Clusters", to: "/clusters" },
          { label: clusterName, to: clusterPath },
        ]}
        title={apply.data ? planName(apply.data.summary) : "Apply"}
        meta={apply.data ? <ApplyStatusBadge status={apply.data.status} /> : null}
        description={
          apply.data ? (
            <>
              <p>
                Apply of {formatDateTime(apply.data.startedAt)}
                {apply.data.user ? ` by ${apply.data.user}` : ""}
              </p>
              {changes.length > 1 ? (
                <ul aria-label="What it changes" className="mt-1 list-inside list-disc">
                  {changes.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : undefined
        }
      />
      <ApplyProgressView applyId={applyId} clusterId={id} />
    </>
  );
}
