// One realserver in a service's table: its weight, status, live connection counts and controls.
// The row owns the one update mutation its controls share (weight, enabled, drain): while any of
// them saves, the row is pending and the others wait, so two changes to one realserver are never
// in flight at once and the row never shows a save as done before it is.
import { formatEndpoint } from "@lvs-panel/lvs";
import { type ReactNode, useId } from "react";
import { useHostsQuery } from "../../api/hosts.ts";
import { usePendingChanges } from "../../api/pending.ts";
import { useUpdateRealServerMutation } from "../../api/services.ts";
import type { RealServer } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { Toggle } from "../../components/Toggle.tsx";
import type { LiveRealserver } from "../../live/types.ts";
import { ApplyNow } from "./ApplyNow.tsx";
import { LiveConnections } from "./LiveConnections.tsx";
import { RealServerHealth, type RealServerHealthView } from "./RealServerHealth.tsx";
import { WeightCell } from "./WeightCell.tsx";

export function RealServerRow({
  clusterId,
  realserver: rs,
  live,
  liveAvailable,
  health,
  marker,
  onEdit,
  onDelete,
}: {
  clusterId: string;
  realserver: RealServer;
  /** This realserver's figures in the director's latest reading, if it is in the table. */
  live: LiveRealserver | undefined;
  /** Whether the director is being read at all (otherwise there is nothing to wait for). */
  liveAvailable: boolean;
  /** Its health-check verdict (keepalived engine); undefined: the table has no health column. */
  health?: RealServerHealthView | undefined;
  marker: ReactNode;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const endpoint = formatEndpoint(rs.address, rs.port);
  const hosts = useHostsQuery({ enabled: rs.hostId !== null });
  const linkedHost = rs.hostId ? hosts.data?.find((h) => h.id === rs.hostId) : undefined;
  const update = useUpdateRealServerMutation(clusterId);
  const saving = update.isPending;
  const errorId = useId();
  // Show the state being saved, not the one being replaced.
  const enabled =
    update.isPending && update.variables.enabled !== undefined
      ? update.variables.enabled
      : rs.enabled;
  const draining =
    update.isPending && update.variables.draining !== undefined
      ? update.variables.draining
      : rs.draining;
  // A refused weight is explained next to the weight field; anything else under the controls.
  const error = update.isError && update.variables.weight === undefined ? update.error : null;
  // Saved, but the director does not carry it yet (until the next apply).
  const pending =
    usePendingChanges(clusterId).data?.realservers.some((p) => p.id === rs.id) ?? false;
  const justDrained = update.isSuccess && update.variables.draining !== undefined;

  return (
    <tr aria-busy={saving || undefined} className={enabled ? "" : "text-slate-400"}>
      <td className="px-5 py-2">
        <span className="inline-flex items-center gap-2 font-mono">
          {endpoint}
          {marker}
        </span>
        {linkedHost ? (
          <span
            className="block text-xs text-slate-500"
            title={`The panel prepares this realserver over SSH as host ${linkedHost.name} (${linkedHost.address})`}
          >
            Host: {linkedHost.name}
          </span>
        ) : null}
      </td>
      <td className="px-3 py-1.5 tabular-nums">
        <WeightCell
          realserver={rs}
          endpoint={endpoint}
          saving={saving}
          save={(weight, result) => update.mutate({ id: rs.id, weight }, result)}
        />
      </td>
      <td className="px-3 py-2 text-xs tabular-nums text-slate-500">
        {rs.upperThreshold || rs.lowerThreshold ? `${rs.lowerThreshold}–${rs.upperThreshold}` : "—"}
      </td>
      <td className="px-3 py-2">
        <RealServerStatus
          enabled={enabled}
          draining={draining}
          weight={rs.weight}
          pending={pending}
        />
      </td>
      {health ? (
        <td className="px-3 py-2">
          <RealServerHealth view={health} />
        </td>
      ) : null}
      <td className="px-3 py-2 text-xs whitespace-nowrap text-slate-600">
        <LiveConnections endpoint={endpoint} live={live} available={liveAvailable} />
      </td>
      <td className="px-5 py-1.5 text-right whitespace-nowrap">
        <IfCanEdit>
          <span className="inline-flex items-center gap-1">
            <Toggle
              label={`Enabled ${endpoint}`}
              labelHidden
              offLabel="Off"
              onLabel="On"
              checked={enabled}
              disabled={saving}
              describedBy={error ? errorId : undefined}
              onChange={(on) => update.mutate({ id: rs.id, enabled: on })}
            />
            {/* Shown when disabled too: a disabled, draining realserver must be undrainable. */}
            <Button
              size="sm"
              variant="ghost"
              aria-label={`${draining ? "Undrain" : "Drain"} realserver ${endpoint}`}
              title={
                draining
                  ? `Give it its weight (${rs.weight}) back at the next apply`
                  : "Weight 0 at the next apply: open connections finish, new ones go elsewhere"
              }
              disabled={saving}
              onClick={() => update.mutate({ id: rs.id, draining: !draining })}
            >
              {draining ? "Undrain" : "Drain"}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Edit realserver ${endpoint}`}
              disabled={saving}
              onClick={onEdit}
            >
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete realserver ${endpoint}`}
              className="hover:text-red-600"
              disabled={saving}
              onClick={onDelete}
            >
              Delete
            </Button>
          </span>
          {justDrained ? (
            <span className="mt-1 block text-right empty:hidden">
              <ApplyNow
                clusterId={clusterId}
                what={`${draining ? "Drain" : "Undrain"} ${endpoint}`}
                pending={pending}
              />
            </span>
          ) : null}
          {error ? (
            <p id={errorId} role="alert" className="mt-1 text-right text-xs text-red-600">
              {error.message}
            </p>
          ) : null}
        </IfCanEdit>
      </td>
    </tr>
  );
}

function RealServerStatus({
  enabled,
  draining,
  weight,
  pending,
}: {
  enabled: boolean;
  draining: boolean;
  weight: number;
  /** The director does not carry this yet: the next apply does it. */
  pending: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {enabled ? null : <Badge>Disabled</Badge>}
      {draining ? <Badge tone="amber">Draining{pending ? " (pending)" : ""}</Badge> : null}
      {pending && !draining ? (
        <span title="Saved; the director gets it at the next apply">
          <Badge>Pending</Badge>
        </span>
      ) : null}
      {enabled && !draining ? (
        weight === 0 ? (
          // The old way to drain: enabled, yet it gets no new connections. Not "Enabled" in
          // green, which would suggest it takes traffic.
          <span title="Enabled with weight 0: gets no new connections. Drain does the same and keeps its weight for undraining.">
            <Badge tone="amber">Weight 0</Badge>
          </span>
        ) : (
          <Badge tone="green">Enabled</Badge>
        )
      ) : null}
    </span>
  );
}
