// The service's NAT / DR / TUN switch. A choice saves at once (the change reaches the hosts at the
// next apply) and shows where it is going while the save runs.
import { addressFamily, FORWARDING_METHODS, forwardingFamilyProblem } from "@lvs-panel/lvs";
import { useId } from "react";
import { usePendingChanges } from "../../api/pending.ts";
import { READ_ONLY_HINT, usePermissions } from "../../api/permissions.ts";
import { useUpdateServiceMutation } from "../../api/services.ts";
import type { Service } from "../../api/types.ts";
import { SegmentedSwitch } from "../../components/SegmentedSwitch.tsx";
import { formatForwarding } from "../../lib/format.ts";
import { ApplyNow } from "./ApplyNow.tsx";

export function ForwardingToggle({ service }: { service: Service }) {
  const update = useUpdateServiceMutation(service.clusterId);
  const pending = usePendingChanges(service.clusterId).data?.pending ?? false;
  const canEdit = usePermissions().edit;
  const errorId = useId();
  const forwarding =
    update.isPending && update.variables?.forwarding
      ? update.variables.forwarding
      : service.forwarding;
  const family = addressFamily(service.vip);
  const options = FORWARDING_METHODS.map((method) => {
    // Refused before the request, in the words the API would answer with (TUN_IPV6 on the VIP).
    const problem = method === forwarding ? null : forwardingFamilyProblem(method, family);
    return {
      value: method,
      label: formatForwarding(method),
      disabledReason: problem ? `The VIP ${problem.message}` : undefined,
    };
  });

  return (
    <div className="flex flex-col items-end gap-1">
      <SegmentedSwitch
        label="Forwarding"
        options={options}
        value={forwarding}
        disabled={update.isPending || !canEdit}
        title={canEdit ? undefined : READ_ONLY_HINT}
        describedBy={update.isError ? errorId : undefined}
        onChange={(method) => update.mutate({ id: service.id, forwarding: method })}
      />
      {update.isSuccess && update.variables?.forwarding === service.forwarding ? (
        <ApplyNow
          clusterId={service.clusterId}
          what={`Switch to ${formatForwarding(service.forwarding)}`}
          pending={pending}
        />
      ) : null}
      {update.isError ? (
        <p id={errorId} role="alert" className="max-w-xs text-right text-xs text-red-600">
          {update.error.message}
        </p>
      ) : null}
    </div>
  );
}
