// One virtual service: its key, scheduling, where its VIP goes, the NAT/DR/TUN switch and the
// realservers behind it, added one by one or from a pasted list.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import { useState } from "react";
import type { ClusterHealthState } from "../../api/health.ts";
import type { Engine, Service } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { Card } from "../../components/Card.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { PencilIcon, PlusIcon, TrashIcon } from "../../components/icons.tsx";
import { formatProtocol } from "../../lib/format.ts";
import type { LiveService } from "../../live/types.ts";
import { BulkRealServersDialog } from "./BulkRealServersDialog.tsx";
import { ForwardingToggle } from "./ForwardingToggle.tsx";
import { forwardingHints } from "./forwardingHints.ts";
import type { LocatedIssue } from "./issuePaths.ts";
import { RealServerTable } from "./RealServerTable.tsx";
import { ServiceDialogs, type ServiceEditing } from "./ServiceDialogs.tsx";
import { ServiceFacts } from "./ServiceFacts.tsx";
import { IssueBadges } from "./ServiceIssues.tsx";
import { useCachedCluster } from "./useCachedCluster.ts";

export function ServiceCard({
  service,
  dip = null,
  issues = [],
  live = null,
  engine = "ipvsadm",
  health = null,
}: {
  service: Service;
  /** The director's DIP, for the forwarding hints; null before a director is set. */
  dip?: string | null;
  issues?: LocatedIssue[];
  /** The director's latest figures for this service; null when nobody reads the director. */
  live?: LiveService | null | undefined;
  /** The cluster's engine: on keepalived the service's check settings and health show. */
  engine?: Engine;
  /** The cluster's health readings; null: no health column (the ipvsadm engine). */
  health?: ClusterHealthState | null;
}) {
  const [editing, setEditing] = useState<ServiceEditing>(null);
  const [bulkAdding, setBulkAdding] = useState(false);
  // Named as the live view names it, so both pages call a service the same.
  const label = liveServiceKey(service);
  // The page has the cluster loaded: its director says where the VIP goes, and a pair's floating
  // gateway where NAT replies go (keepalived engine only, as the plan has it).
  const cluster = useCachedCluster(service.clusterId);
  const director = cluster?.director ?? null;
  const pair = Boolean(cluster?.ha) && engine === "keepalived";
  const floatingGateway = pair ? (cluster?.ha?.floatingGateway ?? null) : null;

  return (
    <Card
      label={`Service ${label}`}
      title={
        <span className="flex flex-wrap items-center gap-2">
          {/* A mark service reads "FWM 7": the mark, not a VIP and port, selects its traffic. */}
          <Badge tone="indigo">
            {service.fwmark === null ? formatProtocol(service.protocol) : "FWM"}
          </Badge>
          <span className="font-mono text-base">
            {service.fwmark === null ? formatEndpoint(service.vip, service.port) : service.fwmark}
          </span>
          <IssueBadges issues={issues} />
        </span>
      }
      actions={
        <IfCanEdit>
          <Button
            size="sm"
            variant="ghost"
            icon={<PencilIcon />}
            aria-label={`Edit service ${label}`}
            onClick={() => setEditing({ kind: "service" })}
          >
            Edit
          </Button>
          <Button
            size="sm"
            variant="ghost"
            icon={<TrashIcon />}
            aria-label={`Delete service ${label}`}
            className="hover:text-red-600"
            onClick={() => setEditing({ kind: "delete-service" })}
          >
            Delete
          </Button>
        </IfCanEdit>
      }
    >
      <div className="flex flex-wrap items-center justify-between gap-x-8 gap-y-3 border-b border-slate-100 px-5 py-3">
        <ServiceFacts service={service} engine={engine} director={director} pair={pair} />
        <ForwardingToggle service={service} />
      </div>
      <RealServerTable
        service={service}
        issues={issues}
        live={live}
        health={health}
        onEdit={(realserver) => setEditing({ kind: "realserver", realserver })}
        onDelete={(realserver) => setEditing({ kind: "delete-realserver", realserver })}
      />
      <div className="flex items-center justify-between gap-3 px-5 py-3">
        <ul aria-label="What the panel does on the realservers" className="space-y-0.5">
          {forwardingHints(service, dip ?? director?.dip ?? null, floatingGateway).map((hint) => (
            <li key={hint} className="text-xs text-slate-500">
              {hint}
            </li>
          ))}
        </ul>
        <IfCanEdit>
          <div className="flex shrink-0 flex-wrap justify-end gap-2">
            <Button size="sm" variant="ghost" onClick={() => setBulkAdding(true)}>
              Add from a list
            </Button>
            <Button
              size="sm"
              icon={<PlusIcon />}
              onClick={() => setEditing({ kind: "add-realserver" })}
            >
              Add realserver
            </Button>
          </div>
        </IfCanEdit>
      </div>
      {bulkAdding ? (
        <BulkRealServersDialog service={service} onClose={() => setBulkAdding(false)} />
      ) : null}
      <ServiceDialogs
        service={service}
        engine={engine}
        editing={editing}
        close={() => setEditing(null)}
      />
    </Card>
  );
}
