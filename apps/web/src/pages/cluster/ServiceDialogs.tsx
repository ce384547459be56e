// The dialogs a service card opens: edit the service, add or edit a realserver, and the
// confirmations before deleting either.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import { useDeleteRealServerMutation, useDeleteServiceMutation } from "../../api/services.ts";
import type { Engine, RealServer, Service } from "../../api/types.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { pluralize } from "../../lib/format.ts";
import { RealServerDialog } from "./RealServerDialog.tsx";
import { ServiceDialog } from "./ServiceDialog.tsx";

/** Which dialog is open, if any. */
export type ServiceEditing =
  | { kind: "service" }
  | { kind: "delete-service" }
  | { kind: "add-realserver" }
  | { kind: "realserver"; realserver: RealServer }
  | { kind: "delete-realserver"; realserver: RealServer }
  | null;

export function ServiceDialogs({
  service,
  engine,
  editing,
  close,
}: {
  service: Service;
  engine: Engine;
  editing: ServiceEditing;
  close: () => void;
}) {
  const removeService = useDeleteServiceMutation(service.clusterId);
  const removeRealServer = useDeleteRealServerMutation(service.clusterId);
  if (!editing) return null;
  switch (editing.kind) {
    case "service":
      return (
        <ServiceDialog
          clusterId={service.clusterId}
          engine={engine}
          service={service}
          onClose={close}
        />
      );
    case "add-realserver":
      return (
        <RealServerDialog
          clusterId={service.clusterId}
          engine={engine}
          service={service}
          onClose={close}
        />
      );
    case "realserver":
      return (
        <RealServerDialog
          clusterId={service.clusterId}
          engine={engine}
          service={service}
          realserver={editing.realserver}
          onClose={close}
        />
      );
    case "delete-service":
      return (
        <ConfirmDialog
          title={`Delete service ${liveServiceKey(service)}?`}
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
          <p>
            It stops receiving traffic for {liveServiceKey(service)} once the change is applied.
          </p>
        </ConfirmDialog>
      );
  }
}
