// The service's NAT/DR switch. It saves at once (the change reaches the hosts at the next apply)
// and shows where it is going while the save runs.
import { useId } from "react";
import { READ_ONLY_HINT, usePermissions } from "../../api/permissions.ts";
import { useUpdateServiceMutation } from "../../api/services.ts";
import type { Service } from "../../api/types.ts";
import { Toggle } from "../../components/Toggle.tsx";

export function ForwardingToggle({ service }: { service: Service }) {
  const update = useUpdateServiceMutation(service.clusterId);
  const canEdit = usePermissions().edit;
  const errorId = useId();
  const forwarding =
    update.isPending && update.variables?.forwarding
      ? update.variables.forwarding
      : service.forwarding;

  return (
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
  );
}
