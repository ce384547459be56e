// The cluster's director at a glance, with the way to set or change it.
import { useState } from "react";
import type { Cluster } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Card } from "../../components/Card.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { ServerIcon } from "../../components/icons.tsx";
import { DirectorDialog } from "./DirectorDialog.tsx";

export function DirectorSection({ cluster }: { cluster: Cluster }) {
  const [editing, setEditing] = useState(false);
  const { director } = cluster;
  return (
    <Card
      title="Director"
      actions={
        director ? (
          <IfCanEdit>
            <Button size="sm" onClick={() => setEditing(true)}>
              Change director
            </Button>
          </IfCanEdit>
        ) : null
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
              {director.vipInterface && director.vipInterface !== director.interface ? (
                <span className="text-xs text-slate-500"> · VIPs on {director.vipInterface}</span>
              ) : null}
            </dd>
          </div>
        </dl>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
          <p className="max-w-xl text-sm text-slate-600">
            <IfCanEdit fallback="No director yet. An operator or admin chooses the host that runs the IPVS table.">
              No director yet. Choose the host that will run the IPVS table, its DIP (its address on
              the realservers' network) and the interface that carries the VIPs.
            </IfCanEdit>
          </p>
          <IfCanEdit>
            <Button variant="primary" onClick={() => setEditing(true)}>
              Set director
            </Button>
          </IfCanEdit>
        </div>
      )}
      {editing ? (
        <DirectorDialog
          clusterId={cluster.id}
          director={director}
          onClose={() => setEditing(false)}
        />
      ) : null}
    </Card>
  );
}
