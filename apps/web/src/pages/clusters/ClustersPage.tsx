// Home: every cluster with its director and size; create and delete clusters.
import { useState } from "react";
import { Link } from "react-router";
import { useClustersQuery, useDeleteClusterMutation } from "../../api/clusters.ts";
import type { Cluster } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { ClusterIcon, PlusIcon, TrashIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { formatRelative, pluralize } from "../../lib/format.ts";
import { CreateClusterDialog } from "./CreateClusterDialog.tsx";

function realserverCount(cluster: Cluster): number {
  return cluster.services.reduce((sum, service) => sum + service.realservers.length, 0);
}

export function ClustersPage() {
  const clusters = useClustersQuery();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Cluster | null>(null);

  const createButton = (
    <IfCanEdit>
      <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
        Create cluster
      </Button>
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
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {clusters.data.map((cluster) => (
            <ClusterRow key={cluster.id} cluster={cluster} onDelete={() => setDeleting(cluster)} />
          ))}
        </ul>
      )}
      {creating ? <CreateClusterDialog onClose={() => setCreating(false)} /> : null}
      {deleting ? (
        <DeleteClusterDialog cluster={deleting} onClose={() => setDeleting(null)} />
      ) : null}
    </>
  );
}

function ClusterRow({ cluster, onDelete }: { cluster: Cluster; onDelete: () => void }) {
  const services = cluster.services.length;
  return (
    <li className="group relative flex items-center gap-4 px-5 py-4 hover:bg-slate-50">
      <div className="grid min-w-0 flex-1 items-center gap-x-6 gap-y-2 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)_9.5rem]">
        <div className="min-w-0">
          <Link
            to={`/clusters/${encodeURIComponent(cluster.id)}`}
            className="font-medium text-slate-900 after:absolute after:inset-0 focus-visible:outline-none group-focus-within:underline"
          >
            {cluster.name}
          </Link>
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
          <p className="text-xs text-slate-500">
            {pluralize(realserverCount(cluster), "realserver")}
            <span className="hidden lg:inline"> · updated {formatRelative(cluster.updatedAt)}</span>
          </p>
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
