// The cluster's director at a glance, with the way to set or change it; the engine that owns its
// IPVS table, with the way to switch it; and on the keepalived engine, whether keepalived runs.
import { type ReactNode, useState } from "react";
import type { ClusterHealthState } from "../../api/health.ts";
import type { Cluster, DirectorHealth } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { Card } from "../../components/Card.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { ServerIcon } from "../../components/icons.tsx";
import { ImportServicesDialog } from "../import/ImportServicesDialog.tsx";
import { DirectorDialog } from "./DirectorDialog.tsx";
import { DirectorPair } from "./DirectorPair.tsx";
import { DirectorVips } from "./DirectorVips.tsx";
import { EngineDialog } from "./EngineDialog.tsx";
import { FailoverDialog } from "./FailoverDialog.tsx";
import { directorStateLabel, ENGINE_LABELS, formatHeldFor, sinceTitle } from "./healthLabels.ts";

export function DirectorSection({
  cluster,
  health = null,
}: {
  cluster: Cluster;
  /** The cluster's health readings (keepalived engine); null on the ipvsadm engine. */
  health?: ClusterHealthState | null;
}) {
  const [editing, setEditing] = useState<"director" | "engine" | "import" | "failover" | null>(
    null,
  );
  const { director } = cluster;
  const keepalived = cluster.engine === "keepalived";
  return (
    <Card
      title="Director"
      actions={
        <IfCanEdit>
          <Button size="sm" onClick={() => setEditing("engine")}>
            Change engine
          </Button>
          {director ? (
            <>
              <Button size="sm" onClick={() => setEditing("import")}>
                Import services from the director
              </Button>
              <Button size="sm" onClick={() => setEditing("director")}>
                Change director
              </Button>
              {keepalived ? (
                <Button size="sm" onClick={() => setEditing("failover")}>
                  {cluster.ha ? "Failover settings" : "Set up failover"}
                </Button>
              ) : null}
            </>
          ) : null}
        </IfCanEdit>
      }
    >
      {director ? (
        <dl className="grid gap-x-8 gap-y-3 px-5 py-4 text-sm sm:grid-cols-4">
          <div className="sm:col-span-2">
            <dt className="text-xs font-medium text-slate-500">Host</dt>
            <dd className="mt-0.5 flex items-center gap-2 font-medium text-slate-900">
              <ServerIcon className="size-4 text-slate-400" />
              {director.host.name}
              <span className="font-mono text-xs font-normal text-slate-500">
                {director.host.address}
              </span>
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">DIP</dt>
            <dd className="mt-0.5 font-mono text-slate-900">{director.dip}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Interface</dt>
            <dd className="mt-0.5 font-mono text-slate-900">
              {director.interface}
              <DirectorVips cluster={cluster} />
            </dd>
          </div>
          <EngineFact cluster={cluster} />
          {keepalived ? (
            <KeepalivedFact
              reading={health?.health?.directors.find((d) => d.hostId === director.hostId)}
              at={health?.health?.at ?? null}
              error={health?.error?.message ?? null}
            />
          ) : null}
        </dl>
      ) : null}
      {director && cluster.ha ? <DirectorPair cluster={cluster} health={health} /> : null}
      {director ? null : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
            <p className="max-w-xl text-sm text-slate-600">
              <IfCanEdit fallback="No director yet. An operator or admin chooses the host that runs the IPVS table.">
                No director yet. Choose the host that will run the IPVS table, its DIP (its address
                on the realservers' network) and the interface that carries the VIPs.
              </IfCanEdit>
            </p>
            <IfCanEdit>
              <Button variant="primary" onClick={() => setEditing("director")}>
                Set director
              </Button>
            </IfCanEdit>
          </div>
          <dl className="border-t border-slate-100 px-5 py-3 text-sm">
            <EngineFact cluster={cluster} />
          </dl>
        </>
      )}
      {editing === "director" ? (
        <DirectorDialog
          clusterId={cluster.id}
          director={director}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {editing === "failover" ? (
        <FailoverDialog cluster={cluster} onClose={() => setEditing(null)} />
      ) : null}
      {editing === "import" && director ? (
        <ImportServicesDialog
          cluster={cluster}
          hostId={director.hostId}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {editing === "engine" ? (
        <EngineDialog
          clusterId={cluster.id}
          engine={cluster.engine}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

function EngineFact({ cluster }: { cluster: Cluster }) {
  return (
    <div className="sm:col-span-2">
      <dt className="text-xs font-medium text-slate-500">Engine</dt>
      <dd className="mt-0.5 text-slate-900">{ENGINE_LABELS[cluster.engine]}</dd>
    </div>
  );
}

const STATE_TONES = { running: "green", stopped: "amber", unreachable: "red" } as const;

/** keepalived's state on the director: running with its pid, stopped, or unreachable and why. */
function KeepalivedFact({
  reading,
  at,
  error,
}: {
  reading: DirectorHealth | undefined;
  at: string | null;
  error: string | null;
}) {
  let body: ReactNode;
  if (!reading) {
    body =
      at === null && !error ? (
        <span className="text-slate-400">Checking…</span>
      ) : (
        <span className="text-slate-600">
          <Badge>Unknown</Badge>{" "}
          <span className="text-xs">{error ? `Health could not be read: ${error}` : null}</span>
        </span>
      );
  } else {
    const held = at === null ? null : formatHeldFor(reading.since, at);
    body = (
      <>
        <span className="inline-flex flex-wrap items-center gap-x-1.5">
          <Badge tone={STATE_TONES[reading.state]}>{directorStateLabel(reading)}</Badge>
          {held ? (
            <span className="text-xs text-slate-500" title={sinceTitle(reading.since)}>
              {held}
            </span>
          ) : null}
        </span>
        {reading.state === "stopped" ? (
          <span className="mt-0.5 block text-xs text-slate-500">
            Not running on the director; the next apply starts it.
          </span>
        ) : null}
        {reading.lastError ? (
          <span className="mt-0.5 block text-xs text-slate-500">{reading.lastError}</span>
        ) : null}
        {error ? (
          <span className="mt-0.5 block text-xs font-medium text-amber-700">(stale: {error})</span>
        ) : null}
      </>
    );
  }
  return (
    <div className="sm:col-span-2">
      <dt className="text-xs font-medium text-slate-500">keepalived</dt>
      <dd className="mt-0.5 text-slate-900">{body}</dd>
    </div>
  );
}
