// Home: every cluster with its director and size; create and delete clusters.
import { useState } from "react";
import { Link } from "react-router";
import {
  useClustersQuery,
  useDeleteClusterMutation,
  useOverviewQuery,
} from "../../api/clusters.ts";
import type { Cluster, ClusterOverview } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { ClusterIcon, PlusIcon, TrashIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { capitalize, formatRelative, pluralize } from "../../lib/format.ts";
import { ImportClusterDialog } from "../import/ImportClusterDialog.tsx";
import { ClusterHealth } from "./ClusterHealth.tsx";
import { CreateClusterDialog } from "./CreateClusterDialog.tsx";

function realserverCount(cluster: Cluster): number {
  return cluster.services.reduce((sum, service) => sum + service.realservers.length, 0);
}

export function ClustersPage() {
  const clusters = useClustersQuery();
  // Health and pending changes, polled: hosts come and go without anyone editing anything.
  const overview = useOverviewQuery();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Cluster | null>(null);

  const createButton = (
    <IfCanEdit>
      <div className="flex flex-wrap justify-center gap-2">
        <Button onClick={() => setImporting(true)}>Import from a director</Button>
        <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
          Create cluster
        </Button>
      </div>
    </IfCanEdit>
  );
  const hasClusters = (clusters.data?.length ?? 0) > 0;

  return (
    <>
      <PageHeader
        title="Clusters"
        description="Each cluster is one LVS director and the virtual services it load-balances."
        actions={hasClusters ? createButton : undefined}
      />
      {clusters.isPending ? (
        <LoadingState label="Loading clusters…" />
      ) : clusters.isError ? (
        <ErrorState error={clusters.error} onRetry={() => clusters.refetch()} />
      ) : clusters.data.length === 0 ? (
        <EmptyState
          icon={<ClusterIcon className="size-10" />}
          title="No clusters yet"
          action={createButton}
        >
          <IfCanEdit fallback="An operator or admin creates clusters; you can view them once they exist.">
            Create a cluster, then pick its director host and add the virtual services (VIP and
            port) with the realservers behind them.
          </IfCanEdit>
        </EmptyState>
      ) : (
        <>
          {overview.isError ? (
            <OverviewError
              error={overview.error}
              since={overview.data ? overview.dataUpdatedAt : null}
              retrying={overview.isFetching}
              onRetry={() => overview.refetch()}
            />
          ) : null}
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            {clusters.data.map((cluster) => (
              <ClusterRow
                key={cluster.id}
                cluster={cluster}
                overview={overview.data?.find((o) => o.id === cluster.id)}
                overviewFailed={overview.isError}
                onDelete={() => setDeleting(cluster)}
              />
            ))}
          </ul>
        </>
      )}
      {creating ? <CreateClusterDialog onClose={() => setCreating(false)} /> : null}
      {importing ? <ImportClusterDialog onClose={() => setImporting(false)} /> : null}
      {deleting ? (
        <DeleteClusterDialog cluster={deleting} onClose={() => setDeleting(null)} />
      ) : null}
    </>
  );
}

/**
 * The overview (health, last apply, pending changes) failed to load: say why, once for the whole
 * list, and whether what is shown is from an earlier load. It keeps polling by itself.
 */
function OverviewError({
  error,
  since,
  retrying,
  onRetry,
}: {
  error: Error;
  since: number | null;
  retrying: boolean;
  onRetry: () => void;
}) {
  return (
    <div
      role="alert"
      className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
    >
      <div className="min-w-0">
        <p className="font-medium">
          Could not load the clusters’ health, last applies and pending changes.
        </p>
        <p className="mt-0.5 break-words text-red-700">{error.message}</p>
        <p className="mt-0.5 text-xs text-red-700">
          {since !== null
            ? `Showing what was known ${formatRelative(new Date(since).toISOString())}; `
            : ""}
          trying again every 10 seconds.
        </p>
      </div>
      <Button size="sm" disabled={retrying} onClick={onRetry}>
        {retrying ? "Retrying…" : "Try again"}
      </Button>
    </div>
  );
}

function ClusterRow({
  cluster,
  overview,
  overviewFailed,
  onDelete,
}: {
  cluster: Cluster;
  overview: ClusterOverview | undefined;
  overviewFailed: boolean;
  onDelete: () => void;
}) {
  const services = overview?.counts.services ?? cluster.services.length;
  const realservers = overview?.counts.realservers ?? realserverCount(cluster);
  const to = `/clusters/${encodeURIComponent(cluster.id)}`;
  return (
    <li
      className="group relative flex items-center gap-4 px-5 py-4 hover:bg-slate-50"
      aria-label={`Cluster ${cluster.name}`}
    >
      <div className="grid min-w-0 flex-1 items-center gap-x-6 gap-y-2 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)_8rem] xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)_8rem_minmax(0,3fr)]">
        <div className="min-w-0">
          <span className="flex flex-wrap items-center gap-2">
            <Link
              to={to}
              className="font-medium text-slate-900 after:absolute after:inset-0 focus-visible:outline-none group-focus-within:underline"
            >
              {cluster.name}
            </Link>
            {overview?.pendingChanges ? (
              <Link
                to={to}
                className="relative z-10 rounded-md focus-visible:outline-2 focus-visible:outline-indigo-600"
                title="The desired state differs from what was last applied: plan and apply it"
                aria-label={`Pending changes in ${cluster.name}: open to plan and apply`}
              >
                <Badge tone="amber">Pending changes</Badge>
              </Link>
            ) : null}
            {overview?.drift?.status === "drift" ? (
              <Link
                to={to}
                className="relative z-10 rounded-md focus-visible:outline-2 focus-visible:outline-indigo-600"
                title={capitalize(overview.drift.summary)}
                aria-label={`Drift in ${cluster.name}: ${overview.drift.summary}`}
              >
                <Badge tone="red">Drift</Badge>
              </Link>
            ) : null}
          </span>
          <p className="mt-0.5 truncate text-sm text-slate-500">
            {cluster.description || "No description"}
          </p>
        </div>
        <div className="min-w-0 text-sm">
          {cluster.director ? (
            <>
              <p className="truncate font-medium text-slate-700">{cluster.director.host.name}</p>
              <p className="truncate font-mono text-xs text-slate-500">
                DIP {cluster.director.dip} · {cluster.director.interface}
              </p>
            </>
          ) : (
            <Badge tone="amber">No director</Badge>
          )}
        </div>
        <div className="text-sm whitespace-nowrap text-slate-600">
          <p>{pluralize(services, "service")}</p>
          <p className="text-xs text-slate-500">{pluralize(realservers, "realserver")}</p>
          <p className="hidden text-xs text-slate-400 lg:block">
            updated {formatRelative(cluster.updatedAt)}
          </p>
        </div>
        <div className="md:col-span-3 xl:col-span-1">
          <ClusterHealth overview={overview} failed={overviewFailed} />
        </div>
      </div>
      <IfCanEdit>
        <Button
          size="sm"
          variant="ghost"
          icon={<TrashIcon />}
          aria-label={`Delete cluster ${cluster.name}`}
          className="relative z-10 hover:text-red-600"
          onClick={onDelete}
        >
          Delete
        </Button>
      </IfCanEdit>
    </li>
  );
}

function DeleteClusterDialog({ cluster, onClose }: { cluster: Cluster; onClose: () => void }) {
  const remove = useDeleteClusterMutation();
  return (
    <ConfirmDialog
      title={`Delete cluster “${cluster.name}”?`}
      pending={remove.isPending}
      error={remove.error?.message}
      onCancel={onClose}
      onConfirm={() => remove.mutate(cluster.id, { onSuccess: onClose })}
    >
      <p>
        The panel forgets this cluster, its {pluralize(cluster.services.length, "service")} and{" "}
        {pluralize(realserverCount(cluster), "realserver")}. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
