// One cluster: director, virtual services with their realservers, the validation report, and
// the way to plan and apply it to the hosts, with the history of past applies.
import { liveServiceKey } from "@lvs-panel/lvs";
import { useState } from "react";
import { useParams } from "react-router";
import { useClusterQuery, useClusterValidationQuery } from "../../api/clusters.ts";
import { type ClusterHealthState, liveHealth, useClusterHealth } from "../../api/health.ts";
import type { Cluster } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { IfCanEdit, ReadOnlyBadge } from "../../components/IfCanEdit.tsx";
import { ClipboardCheckIcon, PlusIcon, ServiceIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { formatClock } from "../../live/format.ts";
import { LiveBanners } from "../../live/LiveBanners.tsx";
import { LiveViewLink } from "../../live/LiveViewLink.tsx";
import { type LiveStream, useLiveStream } from "../../live/useLiveStream.ts";
import { ApplyHistory } from "./apply/ApplyHistory.tsx";
import { LastApply } from "./apply/LastApply.tsx";
import { PlanDialog } from "./apply/PlanDialog.tsx";
import { ClusterGate } from "./ClusterGate.tsx";
import { DirectorSection } from "./DirectorSection.tsx";
import { DriftBanner } from "./DriftBanner.tsx";
import { type LocatedIssue, locateIssues } from "./issuePaths.ts";
import { LiveStaleReason } from "./LiveConnections.tsx";
import { PendingChangesBar } from "./PendingChangesBar.tsx";
import { PendingHostSteps } from "./PendingHostSteps.tsx";
import { ServiceCard } from "./ServiceCard.tsx";
import { ServiceDialog } from "./ServiceDialog.tsx";
import { ValidationPanel } from "./ValidationPanel.tsx";

export function ClusterPage() {
  const { id = "" } = useParams();
  const cluster = useClusterQuery(id);
  const validation = useClusterValidationQuery(id);
  // Counts and stats only (limit=0: no connection rows), for the realservers' connection column.
  const live = useLiveStream(id, "limit=0", Boolean(cluster.data?.director));
  // keepalived's verdicts: from each live tick while the stream is current, polled otherwise.
  // On the ipvsadm engine nothing checks the realservers, so nothing is asked.
  const keepalived = cluster.data?.engine === "keepalived";
  const health = useClusterHealth(id, { enabled: keepalived, live: liveHealth(live) });
  return (
    <ClusterGate query={cluster}>
      {(data) => (
        <ClusterView
          cluster={data}
          issues={locateIssues(validation.data)}
          live={live}
          health={data.engine === "keepalived" ? health : null}
        />
      )}
    </ClusterGate>
  );
}

function ClusterView({
  cluster,
  issues,
  live,
  health,
}: {
  cluster: Cluster;
  issues: LocatedIssue[];
  live: LiveStream;
  /** keepalived's readings; null on the ipvsadm engine. */
  health: ClusterHealthState | null;
}) {
  const [adding, setAdding] = useState(false);
  const [planning, setPlanning] = useState(false);
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
        title={cluster.name}
        description={cluster.description || undefined}
        meta={<LastApply clusterId={cluster.id} />}
        actions={
          <>
            <LiveViewLink clusterId={cluster.id} />
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
        <PendingChangesBar clusterId={cluster.id} onPlan={() => setPlanning(true)} />
        <DriftBanner cluster={cluster} onUndo={() => setPlanning(true)} />
        <PendingHostSteps clusterId={cluster.id} />
        <DirectorSection cluster={cluster} health={health} />
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
            {cluster.services.length > 0 ? addButton : null}
          </div>
          {cluster.director ? (
            <div className="mb-3 space-y-2 empty:hidden">
              <LiveBanners stream={live} />
            </div>
          ) : null}
          {cluster.services.length === 0 ? (
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
                {cluster.services.map((service, index) => (
                  <ServiceCard
                    key={service.id}
                    service={service}
                    dip={cluster.director?.dip ?? null}
                    issues={issues.filter((issue) => issue.service === index)}
                    engine={cluster.engine}
                    health={health}
                    live={
                      cluster.director
                        ? live.tick?.services.find((s) => s.key === liveServiceKey(service))
                        : null
                    }
                  />
                ))}
              </LiveStaleReason>
            </div>
          )}
        </section>
        <ValidationPanel clusterId={cluster.id} />
        <ApplyHistory clusterId={cluster.id} clusterName={cluster.name} />
      </div>
      {adding ? (
        <ServiceDialog
          clusterId={cluster.id}
          engine={cluster.engine}
          onClose={() => setAdding(false)}
        />
      ) : null}
      {planning ? <PlanDialog clusterId={cluster.id} onClose={() => setPlanning(false)} /> : null}
    </>
  );
}
