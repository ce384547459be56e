// One virtual service: its key, scheduling, the NAT/DR/TUN switch and the realservers behind it.
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
import { ForwardingToggle } from "./ForwardingToggle.tsx";
import { forwardingHints } from "./forwardingHints.ts";
import type { LocatedIssue } from "./issuePaths.ts";
import { RealServerTable } from "./RealServerTable.tsx";
import { ServiceDialogs, type ServiceEditing } from "./ServiceDialogs.tsx";
import { ServiceFacts } from "./ServiceFacts.tsx";
import { IssueBadges } from "./ServiceIssues.tsx";

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
  // Named as the live view names it, so both pages call a service the same.
  const label = liveServiceKey(service);

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
        <ServiceFacts service={service} engine={engine} />
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
          {forwardingHints(service, dip).map((hint) => (
            <li key={hint} className="text-xs text-slate-500">
              {hint}
            </li>
          ))}
        </ul>
        <IfCanEdit>
          <Button
            size="sm"
            icon={<PlusIcon />}
            onClick={() => setEditing({ kind: "add-realserver" })}
          >
            Add realserver
          </Button>
        </IfCanEdit>
      </div>
      <ServiceDialogs
        service={service}
        engine={engine}
        editing={editing}
        close={() => setEditing(null)}
      />
    </Card>
  );
}
