// The directors of a cluster with failover: which one carries the VIPs now (its VRRP state, read
// with the health), each one's priority, and the switchover for maintenance.
import { useState } from "react";
import { Link } from "react-router";
import { useSwitchoverMutation } from "../../api/failover.ts";
import type { ClusterHealthState } from "../../api/health.ts";
import type { Cluster, VrrpState } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { ServerIcon } from "../../components/icons.tsx";
import { formatHeldFor, sinceTitle } from "./healthLabels.ts";

const TONES = {
  MASTER: "green",
  BACKUP: "neutral",
  FAULT: "red",
  INIT: "amber",
  STOPPED: "amber",
  UNKNOWN: "neutral",
} as const;

const WORDS: Record<VrrpState["state"], string> = {
  MASTER: "Master: carries the VIPs",
  BACKUP: "Backup",
  FAULT: "Fault",
  INIT: "Starting",
  STOPPED: "keepalived stopped",
  UNKNOWN: "Unknown",
};

export function DirectorPair({
  cluster,
  health,
}: {
  cluster: Cluster;
  health: ClusterHealthState | null;
}) {
  const switchover = useSwitchoverMutation(cluster.id);
  const [started, setStarted] = useState<string | null>(null);
  const ha = cluster.ha;
  if (!ha) return null;
  const readings = health?.health?.directors ?? [];
  const at = health?.health?.at ?? null;
  const pair = cluster.directors.length === 2;
  return (
    <div className="border-t border-slate-100 px-5 py-3">
      <p className="text-xs font-medium text-slate-500">
        Failover: VRRP router {ha.virtualRouterId}, adverts every {ha.advertIntervalSeconds} s
        {ha.unicast ? ", unicast" : ", multicast"}
        {ha.preempt ? ", preempt" : ", no preempt"}
        {ha.connectionSync ? ", connection sync" : ""}
        {ha.floatingGateway ? `, floating gateway ${ha.floatingGateway}` : ""}
      </p>
      <ul className="mt-2 divide-y divide-slate-100" aria-label="Directors">
        {cluster.directors.map((d, i) => {
          const vrrp = readings.find((r) => r.hostId === d.hostId)?.vrrp ?? d.vrrp ?? null;
          const held = vrrp && at ? formatHeldFor(vrrp.since, at) : null;
          const master = vrrp?.state === "MASTER";
          return (
            <li
              key={d.hostId}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm"
              aria-label={`Director ${d.host.name}`}
            >
              <ServerIcon className="size-4 text-slate-400" />
              <span className="font-medium text-slate-900">{d.host.name}</span>
              <span className="font-mono text-xs text-slate-500">
                {d.dip} · {d.interface}
              </span>
              <span className="text-xs text-slate-500">
                priority {d.priority}
                {i === 0 ? " (preferred)" : ""}
              </span>
              {vrrp ? (
                <Badge tone={TONES[vrrp.state]}>{WORDS[vrrp.state]}</Badge>
              ) : (
                <span className="text-xs text-slate-400">Checking…</span>
              )}
              {held ? (
                <span className="text-xs text-slate-500" title={sinceTitle(vrrp?.since ?? null)}>
                  {held}
                </span>
              ) : null}
              {vrrp?.error ? <span className="text-xs text-slate-500">{vrrp.error}</span> : null}
              {pair && ha.preempt && !master ? (
                <IfCanEdit>
                  <Button
                    size="sm"
                    pending={switchover.isPending && switchover.variables === d.hostId}
                    onClick={() =>
                      switchover.mutate(d.hostId, {
                        onSuccess: (r) => setStarted(r.applyId),
                      })
                    }
                  >
                    Make {d.host.name} the master
                  </Button>
                </IfCanEdit>
              ) : null}
            </li>
          );
        })}
      </ul>
      {switchover.isError ? (
        <p className="mt-1 text-xs font-medium text-red-600">{switchover.error.message}</p>
      ) : null}
      {started ? (
        <p className="mt-1 text-xs text-slate-600">
          Switchover started: both directors reload with the new priorities.{" "}
          <Link
            className="font-medium text-indigo-600 hover:underline"
            to={`/clusters/${encodeURIComponent(cluster.id)}/applies/${encodeURIComponent(started)}`}
          >
            Follow the apply
          </Link>
        </p>
      ) : null}
    </div>
  );
}
