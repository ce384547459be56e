// One virtual service: its key, scheduling, the NAT/DR switch and the realservers behind it.
import { useId, useState } from "react";
import { READ_ONLY_HINT, usePermissions } from "../../api/permissions.ts";
import {
  useDeleteRealServerMutation,
  useDeleteServiceMutation,
  useUpdateServiceMutation,
} from "../../api/services.ts";
import type { RealServer, Service } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { Card } from "../../components/Card.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import {
  AlertIcon,
  PencilIcon,
  PlusIcon,
  TrashIcon,
  XCircleIcon,
} from "../../components/icons.tsx";
import { Toggle } from "../../components/Toggle.tsx";
import { formatEndpoint, formatPersistence, formatProtocol, pluralize } from "../../lib/format.ts";
import type { LiveService } from "../../live/types.ts";
import { forwardingHints } from "./forwardingHints.ts";
import type { LocatedIssue } from "./issuePaths.ts";
import { RealServerDialog } from "./RealServerDialog.tsx";
import { RealServerRow } from "./RealServerRow.tsx";
import { ServiceDialog } from "./ServiceDialog.tsx";

type Editing =
  | { kind: "service" }
  | { kind: "delete-service" }
  | { kind: "add-realserver" }
  | { kind: "realserver"; realserver: RealServer }
  | { kind: "delete-realserver"; realserver: RealServer }
  | null;

export function serviceLabel(service: Service): string {
  return `${formatProtocol(service.protocol)} ${formatEndpoint(service.vip, service.port)}`;
}

function IssueBadges({ issues }: { issues: LocatedIssue[] }) {
  const errors = issues.filter((issue) => issue.severity === "error").length;
  const warnings = issues.length - errors;
  return (
    <>
      {errors > 0 ? <Badge tone="red">{pluralize(errors, "error")}</Badge> : null}
      {warnings > 0 ? <Badge tone="amber">{pluralize(warnings, "warning")}</Badge> : null}
    </>
  );
}

/** A marker on a realserver row; the message is in its accessible name and tooltip. */
function IssueMarker({ issues }: { issues: LocatedIssue[] }) {
  if (issues.length === 0) return null;
  const isError = issues.some((issue) => issue.severity === "error");
  const text = issues.map((issue) => issue.message).join("; ");
  const Icon = isError ? XCircleIcon : AlertIcon;
  return (
    <span role="img" aria-label={text} title={text} className="inline-flex align-[-2px]">
      <Icon className={`size-4 ${isError ? "text-red-500" : "text-amber-500"}`} />
    </span>
  );
}

export function ServiceCard({
  service,
  dip = null,
  issues = [],
  live = null,
}: {
  service: Service;
  /** The director's DIP, for the forwarding hints; null before a director is set. */
  dip?: string | null;
  issues?: LocatedIssue[];
  /** The director's latest figures for this service; null when nobody reads the director. */
  live?: LiveService | null | undefined;
}) {
  const [editing, setEditing] = useState<Editing>(null);
  const close = () => setEditing(null);
  const update = useUpdateServiceMutation(service.clusterId);
  const errorId = useId();
  const label = serviceLabel(service);
  const canEdit = usePermissions().edit;

  // Show where the switch is going while the change is saved.
  const forwarding =
    update.isPending && update.variables?.forwarding
      ? update.variables.forwarding
      : service.forwarding;

  return (
    <Card
      label={`Service ${label}`}
      title={
        <span className="flex flex-wrap items-center gap-2">
          <Badge tone="indigo">{formatProtocol(service.protocol)}</Badge>
          <span className="font-mono text-base">{formatEndpoint(service.vip, service.port)}</span>
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
        <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
          <div>
            <dt className="text-xs font-medium text-slate-500">Scheduler</dt>
            <dd className="mt-0.5 font-mono text-slate-900">
              {service.scheduler}
              {service.schedulerFlags.length > 0 ? (
                <span className="text-slate-500"> ({service.schedulerFlags.join(", ")})</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Persistence</dt>
            <dd className="mt-0.5 text-slate-900">
              {formatPersistence(service.persistence)}
              {service.persistenceNetmask ? (
                <span className="font-mono text-xs text-slate-500">
                  {" "}
                  / {service.persistenceNetmask}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Realservers</dt>
            <dd className="mt-0.5 text-slate-900">
              {service.realservers.filter((rs) => rs.enabled).length} of{" "}
              {service.realservers.length} enabled
              {service.realservers.some((rs) => rs.enabled && rs.draining)
                ? `, ${service.realservers.filter((rs) => rs.enabled && rs.draining).length} draining`
                : ""}
            </dd>
          </div>
        </dl>
        <div className="flex flex-col items-end gap-1">
          <Toggle
            label="Forwarding"
            offLabel="NAT"
            onLabel="DR"
            checked={forwarding === "dr"}
            disabled={update.isPending || !canEdit}
            title={canEdit ? undefined : READ_ONLY_HINT}
            describedBy={update.isError ? errorId : undefined}
            onChange={(dr) => update.mutate({ id: service.id, forwarding: dr ? "dr" : "nat" })}
          />
          {update.isError ? (
            <p id={errorId} role="alert" className="max-w-xs text-right text-xs text-red-600">
              {update.error.message}
            </p>
          ) : null}
        </div>
      </div>
      <RealServerTable
        service={service}
        issues={issues}
        live={live}
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
      <ServiceDialogs service={service} editing={editing} close={close} />
    </Card>
  );
}

function RealServerTable({
  service,
  issues,
  live,
  onEdit,
  onDelete,
}: {
  service: Service;
  issues: LocatedIssue[];
  live: LiveService | null | undefined;
  onEdit: (realserver: RealServer) => void;
  onDelete: (realserver: RealServer) => void;
}) {
  if (service.realservers.length === 0) {
    return (
      <p className="border-b border-slate-100 px-5 py-6 text-center text-sm text-slate-500">
        No realservers yet. Add the backends that will answer for this service.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto border-b border-slate-100">
      <table
        className="w-full text-left text-sm"
        aria-label={`Realservers of ${serviceLabel(service)}`}
      >
        <thead className="bg-slate-50 text-xs font-medium text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Address
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Weight
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Thresholds
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Connections
            </th>
            <th scope="col" className="px-5 py-2 text-right font-medium">
              <IfCanEdit fallback={<span className="sr-only">Actions</span>}>
                Enabled · actions
              </IfCanEdit>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {service.realservers.map((rs, index) => {
            const endpoint = formatEndpoint(rs.address, rs.port);
            return (
              <RealServerRow
                key={rs.id}
                clusterId={service.clusterId}
                realserver={rs}
                live={live?.realservers.find((r) => r.key === endpoint)}
                liveAvailable={live !== null}
                marker={
                  <IssueMarker issues={issues.filter((issue) => issue.realserver === index)} />
                }
                onEdit={() => onEdit(rs)}
                onDelete={() => onDelete(rs)}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ServiceDialogs({
  service,
  editing,
  close,
}: {
  service: Service;
  editing: Editing;
  close: () => void;
}) {
  const removeService = useDeleteServiceMutation(service.clusterId);
  const removeRealServer = useDeleteRealServerMutation(service.clusterId);
  if (!editing) return null;
  switch (editing.kind) {
    case "service":
      return <ServiceDialog clusterId={service.clusterId} service={service} onClose={close} />;
    case "add-realserver":
      return <RealServerDialog clusterId={service.clusterId} service={service} onClose={close} />;
    case "realserver":
      return (
        <RealServerDialog
          clusterId={service.clusterId}
          service={service}
          realserver={editing.realserver}
          onClose={close}
        />
      );
    case "delete-service":
      return (
        <ConfirmDialog
          title={`Delete service ${serviceLabel(service)}?`}
          pending={removeService.isPending}
          error={removeService.error?.message}
          onCancel={close}
          onConfirm={() => removeService.mutate(service.id, { onSuccess: close })}
        >
          <p>
            The service and its {pluralize(service.realservers.length, "realserver")} are removed
            from this cluster.
          </p>
        </ConfirmDialog>
      );
    case "delete-realserver":
      return (
        <ConfirmDialog
          title={`Delete realserver ${formatEndpoint(editing.realserver.address, editing.realserver.port)}?`}
          pending={removeRealServer.isPending}
          error={removeRealServer.error?.message}
          onCancel={close}
          onConfirm={() => removeRealServer.mutate(editing.realserver.id, { onSuccess: close })}
        >
          <p>It stops receiving traffic for {serviceLabel(service)} once the change is applied.</p>
        </ConfirmDialog>
      );
  }
}
