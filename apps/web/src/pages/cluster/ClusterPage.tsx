// One cluster: director, virtual services with their realservers, the validation report, and
// the way to plan and apply it to the hosts, with the history of past applies.
import { useState } from "react";
import { useParams } from "react-router";
import { isApiError } from "../../api/client.ts";
import { useClusterQuery, useClusterValidationQuery } from "../../api/clusters.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { IfCanEdit, ReadOnlyBadge } from "../../components/IfCanEdit.tsx";
import { ClipboardCheckIcon, PlusIcon, ServiceIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { formatEndpoint } from "../../lib/format.ts";
import { formatClock } from "../../live/format.ts";
import { LiveBanners } from "../../live/LiveBanners.tsx";
import { LiveViewLink } from "../../live/LiveViewLink.tsx";
import { useLiveStream } from "../../live/useLiveStream.ts";
import { NotFoundPage } from "../NotFoundPage.tsx";
import { ApplyHistory } from "./apply/ApplyHistory.tsx";
import { LastApply } from "./apply/LastApply.tsx";
import { PlanDialog } from "./apply/PlanDialog.tsx";
import { DirectorSection } from "./DirectorSection.tsx";
import { locateIssues } from "./issuePaths.ts";
import { PendingHostSteps } from "./PendingHostSteps.tsx";
import { LiveStaleReason } from "./RealServerRow.tsx";
import { ServiceCard } from "./ServiceCard.tsx";
import { ServiceDialog } from "./ServiceDialog.tsx";
import { ValidationPanel } from "./ValidationPanel.tsx";

/** How the live view keys a service: "TCP 192.168.77.100:80". */
function liveServiceKey(service: { protocol: string; vip: string; port: number }): string {
  return `${service.protocol.toUpperCase()} ${formatEndpoint(service.vip, service.port)}`;
}

export function ClusterPage() {
  const { id = "" } = useParams();
  const cluster = useClusterQuery(id);
  const validation = useClusterValidationQuery(id);
  const [adding, setAdding] = useState(false);
  const [planning, setPlanning] = useState(false);
  // Counts and stats only (limit=0: no connection rows), for the realservers' connection column.
  const live = useLiveStream(id, "limit=0", Boolean(cluster.data?.director));

  if (cluster.isPending) return <LoadingState label="Loading cluster…" />;
  if (cluster.isError) {
    if (isApiError(cluster.error, 404)) {
      return (
        <NotFoundPage
          title="Cluster not found"
          message="It may have been deleted, or the link is wrong."
          backTo={{ to: "/clusters", label: "Back to clusters" }}
        />
      );
    }
    return <ErrorState error={cluster.error} onRetry={() => cluster.refetch()} />;
  }

  const { data } = cluster;
  const issues = locateIssues(validation.data);
  // The connection counts stay on screen when the director cannot be read; say they are old.
  const staleReason = !live.tick
    ? null
    : live.directorError
      ? `the director cannot be read (${live.directorError.message}); last reading at ${formatClock(live.tick.at)}`
      : live.status === "closed"
        ? `the live stream stopped; last reading at ${formatClock(live.tick.at)}`
        : null;
  const addButton = (
    <IfCanEdit>
      <Button variant="primary" icon={<PlusIcon />} onClick={() => setAdding(true)}>
        Add service
      </Button>
    </IfCanEdit>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Clusters", to: "/clusters" }]}
        title={data.name}
        description={data.description || undefined}
        meta={<LastApply clusterId={data.id} />}
        actions={
          <>
            <LiveViewLink clusterId={data.id} />
            <IfCanEdit fallback={<ReadOnlyBadge />}>
              <Button
                variant="primary"
                icon={<ClipboardCheckIcon />}
                onClick={() => setPlanning(true)}
              >
                Plan changes
              </Button>
            </IfCanEdit>
          </>
        }
      />
      <div className="space-y-8">
        <PendingHostSteps clusterId={data.id} />
        <DirectorSection cluster={data} />
        <section aria-labelledby="services-heading">
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="services-heading" className="text-base font-semibold text-slate-900">
                Virtual services
              </h2>
              <p className="text-sm text-slate-500">
                What clients connect to, and the realservers that answer.
              </p>
            </div>
            {data.services.length > 0 ? addButton : null}
          </div>
          {data.director ? (
            <div className="mb-3 space-y-2 empty:hidden">
              <LiveBanners stream={live} />
            </div>
          ) : null}
          {data.services.length === 0 ? (
            <EmptyState
              icon={<ServiceIcon className="size-10" />}
              title="No virtual services yet"
              action={addButton}
            >
              <IfCanEdit fallback="An operator or admin adds the VIPs and ports clients connect to.">
                Add a service for each VIP and port clients connect to (for example TCP 80 and 443),
                then add the realservers behind it.
              </IfCanEdit>
            </EmptyState>
          ) : (
            <div className="space-y-4">
              <LiveStaleReason value={staleReason}>
                {data.services.map((service, index) => (
                  <ServiceCard
                    key={service.id}
                    service={service}
                    dip={data.director?.dip ?? null}
                    issues={issues.filter((issue) => issue.service === index)}
                    live={
                      data.director
                        ? live.tick?.services.find((s) => s.key === liveServiceKey(service))
                        : null
                    }
                  />
                ))}
              </LiveStaleReason>
            </div>
          )}
        </section>
        <ValidationPanel clusterId={data.id} />
        <ApplyHistory clusterId={data.id} clusterName={data.name} />
      </div>
      {adding ? <ServiceDialog clusterId={data.id} onClose={() => setAdding(false)} /> : null}
      {planning ? <PlanDialog clusterId={data.id} onClose={() => setPlanning(false)} /> : null}
    </>
  );
}
