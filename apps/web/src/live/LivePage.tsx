// Live view of one cluster: the director's connection table (filtered on the server, sorted and
// virtualised here), per service and realserver counters, and 15-minute charts.
import { liveServiceKey } from "@lvs-panel/lvs";
import { useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useClusterQuery } from "../api/clusters.ts";
import type { Cluster } from "../api/types.ts";
import { Button } from "../components/Button.tsx";
import { Card } from "../components/Card.tsx";
import { EmptyState } from "../components/EmptyState.tsx";
import { PlayIcon, ServerIcon, ServiceIcon } from "../components/icons.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { LoadingState, Spinner } from "../components/Spinner.tsx";
import { ClusterGate } from "../pages/cluster/ClusterGate.tsx";
import { ConnectionTable } from "./ConnectionTable.tsx";
import { formatClock, formatCount } from "./format.ts";
import { LiveBanners } from "./LiveBanners.tsx";
import { LiveFilters } from "./LiveFilters.tsx";
import { LiveIndicator } from "./LiveIndicator.tsx";
import { clientFilterError, DEFAULT_FILTERS, isFiltered, liveQueryString } from "./query.ts";
import { liveServiceHealth } from "./realserverHealth.ts";
import { ServiceStats } from "./ServiceStats.tsx";
import { StateCounts } from "./StateCounts.tsx";
import { useDebouncedValue } from "./useDebouncedValue.ts";
import { useLiveHistory } from "./useLiveHistory.ts";
import { useLiveStream } from "./useLiveStream.ts";

export function LivePage() {
  const { id = "" } = useParams();
  const cluster = useClusterQuery(id);
  // Keyed: another cluster starts with fresh filters, stream and chart history.
  return (
    <ClusterGate query={cluster}>{(data) => <LiveView key={data.id} cluster={data} />}</ClusterGate>
  );
}

function LiveView({ cluster }: { cluster: Cluster }) {
  const [filters, setFilters] = useState(DEFAULT_FILTERS);
  const [paused, setPaused] = useState(false);
  const clientError = clientFilterError(filters);
  // A client the server would refuse is not sent: the stream keeps the last filters it took
  // while the field says what is wrong.
  const lastValidQuery = useRef(liveQueryString(filters));
  if (!clientError) lastValidQuery.current = liveQueryString(filters);
  const query = useDebouncedValue(lastValidQuery.current, 350);
  const canWatch = cluster.director !== null && cluster.services.length > 0;
  const watching = canWatch && !paused;
  const stream = useLiveStream(cluster.id, query, watching);
  const history = useLiveHistory(cluster.id, stream.tick, watching);
  const tick = stream.tick;
  // keepalived's verdicts ride on every tick (keepalived engine only): matched to the counters.
  const health = useMemo(
    () => (tick ? liveServiceHealth(tick, cluster.services) : null),
    [tick, cluster.services],
  );
  // The last tick stays on screen when the director cannot be read; its verdicts say so.
  const staleHealth =
    stream.directorError?.message ??
    (stream.status === "closed" ? "the live stream stopped" : null);
  const clusterPath = `/clusters/${encodeURIComponent(cluster.id)}`;

  const header = (
    <PageHeader
      crumbs={[
        { label: "Clusters", to: "/clusters" },
        { label: cluster.name, to: clusterPath },
      ]}
      title={`Live view — ${cluster.name}`}
      description={
        cluster.director
          ? `Read from ${cluster.director.host.name} (${cluster.director.host.address}) about every 1.5 s.`
          : undefined
      }
      meta={
        canWatch ? (
          <LiveIndicator status={stream.status} directorDown={stream.directorError !== null} />
        ) : undefined
      }
      actions={
        canWatch ? (
          <Button
            variant={paused ? "primary" : "secondary"}
            icon={paused ? <PlayIcon /> : <PauseIcon />}
            onClick={() => setPaused((p) => !p)}
          >
            {paused ? "Resume" : "Pause"}
          </Button>
        ) : undefined
      }
    />
  );

  const backToCluster = (
    <Link
      to={clusterPath}
      className="inline-flex h-9 items-center rounded-md bg-indigo-600 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      Open the cluster
    </Link>
  );
  if (!cluster.director) {
    return (
      <>
        {header}
        <EmptyState
          icon={<ServerIcon className="size-10" />}
          title="Set the cluster's director first"
          action={backToCluster}
        >
          The live view reads the director's IPVS connection table and counters. Choose the director
          host on the cluster page, then come back here.
        </EmptyState>
      </>
    );
  }
  if (cluster.services.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          icon={<ServiceIcon className="size-10" />}
          title="No virtual services yet"
          action={backToCluster}
        >
          Add a virtual service and its realservers, plan and apply them; their connections show up
          here.
        </EmptyState>
      </>
    );
  }

  const rows = tick?.rows ?? [];
  const emptyTable = !tick ? (
    <p className="flex items-center justify-center gap-2 text-sm text-slate-500">
      <Spinner className="size-4" /> Waiting for the first reading of the director…
    </p>
  ) : tick.totals?.entries === 0 ? (
    <div className="text-center">
      <p className="text-sm font-semibold text-slate-900">
        No connections right now — send some traffic to a VIP
      </p>
      <p className="mt-1 text-sm text-slate-500">
        Entries appear here as soon as the director tracks them.
      </p>
    </div>
  ) : (
    <div className="text-center">
      <p className="text-sm font-semibold text-slate-900">No connections match these filters</p>
      {isFiltered(filters) ? (
        <Button
          size="sm"
          className="mt-3"
          onClick={() => setFilters({ ...DEFAULT_FILTERS, limit: filters.limit })}
        >
          Clear filters
        </Button>
      ) : null}
    </div>
  );

  return (
    <>
      {header}
      <div className="space-y-6">
        <LiveBanners stream={stream} />
        <Card
          title="Connections"
          label="Connections"
          actions={
            <p role="status" className="text-sm text-slate-600 tabular-nums">
              {tick ? (
                <>
                  <span className="font-semibold text-slate-900">{formatCount(tick.matched)}</span>{" "}
                  {tick.matched === 1 ? "connection" : "connections"} ({formatCount(rows.length)}{" "}
                  shown)
                  {" · "}updated {formatClock(tick.at)}
                  {paused ? " · paused" : ""}
                </>
              ) : paused ? (
                "Paused"
              ) : (
                "Connecting…"
              )}
            </p>
          }
        >
          <div className="space-y-4 border-b border-slate-100 px-5 py-4">
            <LiveFilters
              services={cluster.services}
              seenStates={Object.keys(tick?.totals?.byState ?? {})}
              filters={filters}
              onChange={setFilters}
              clientError={clientError}
            />
            {tick?.totals ? <StateCounts tick={tick} totals={tick.totals} /> : null}
          </div>
          <ConnectionTable rows={rows} empty={emptyTable} />
          {tick?.truncated ? (
            <p className="border-t border-slate-100 px-5 py-2.5 text-xs text-slate-500">
              Showing the first {formatCount(rows.length)} of {formatCount(tick.matched)} matching
              entries — narrow the filters or raise the limit to see more.
            </p>
          ) : null}
        </Card>
        <section aria-labelledby="live-services-heading" className="space-y-4">
          <div>
            <h2 id="live-services-heading" className="text-base font-semibold text-slate-900">
              Services and realservers
            </h2>
            <p className="text-sm text-slate-500">
              ipvsadm counters per service and realserver; charts cover the last 15 minutes watched.
            </p>
          </div>
          {!tick ? (
            <LoadingState label="Waiting for the director's counters…" />
          ) : tick.services.length === 0 ? (
            <EmptyState
              compact
              title="The director has no virtual services loaded"
              action={backToCluster}
            >
              The cluster defines {formatCount(cluster.services.length)} — plan and apply it to load
              them into IPVS.
            </EmptyState>
          ) : (
            tick.services.map((service) => (
              <ServiceStats
                key={service.key}
                service={service}
                totals={tick.totals}
                history={history}
                health={health?.get(service.key) ?? null}
                stale={staleHealth}
                forwarding={
                  cluster.services.find((s) => liveServiceKey(s) === service.key)?.forwarding
                }
              />
            ))
          )}
        </section>
      </div>
    </>
  );
}

function PauseIcon() {
  return (
    <svg className="size-4" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
      <rect x="6" y="5" width="4" height="14" rx="1" />
      <rect x="14" y="5" width="4" height="14" rx="1" />
    </svg>
  );
}
