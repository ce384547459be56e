// One realserver in a service's table: weight edited in place, the enabled switch, drain and
// undrain, and its live ActiveConn/InActConn so a drained one can be watched emptying.
import { weightSchema } from "@lvs-panel/lvs";
import {
  createContext,
  type KeyboardEvent,
  type ReactNode,
  useContext,
  useId,
  useRef,
  useState,
} from "react";
import { isApiError } from "../../api/client.ts";
import { usePermissions } from "../../api/permissions.ts";
import { useUpdateRealServerMutation } from "../../api/services.ts";
import type { RealServer } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { PencilIcon } from "../../components/icons.tsx";
import { Toggle } from "../../components/Toggle.tsx";
import { parseNumber, validate } from "../../forms/formErrors.ts";
import { formatEndpoint } from "../../lib/format.ts";
import type { LiveRealserver } from "../../live/types.ts";

/**
 * Why the live figures on the page are no longer current (the director cannot be read, or the
 * stream stopped), or null while they are. Provided by the cluster page, which explains it once
 * above the services; each row marks its counts as stale.
 */
export const LiveStaleReason = createContext<string | null>(null);

export function RealServerRow({
  clusterId,
  realserver: rs,
  live,
  liveAvailable,
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
  marker: ReactNode;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const endpoint = formatEndpoint(rs.address, rs.port);
  const update = useUpdateRealServerMutation(clusterId);
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

  return (
    <tr className={enabled ? "" : "text-slate-400"}>
      <td className="px-5 py-2">
        <span className="inline-flex items-center gap-2 font-mono">
          {endpoint}
          {marker}
        </span>
      </td>
      <td className="px-3 py-1.5 tabular-nums">
        <WeightCell clusterId={clusterId} realserver={rs} endpoint={endpoint} />
      </td>
      <td className="px-3 py-2 text-xs tabular-nums text-slate-500">
        {rs.upperThreshold || rs.lowerThreshold ? `${rs.lowerThreshold}–${rs.upperThreshold}` : "—"}
      </td>
      <td className="px-3 py-2">
        <span className="inline-flex flex-wrap gap-1">
          {enabled ? null : <Badge>Disabled</Badge>}
          {draining ? <Badge tone="amber">Draining</Badge> : null}
          {enabled && !draining ? (
            rs.weight === 0 ? (
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
      </td>
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
              disabled={update.isPending}
              describedBy={update.isError ? errorId : undefined}
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
              disabled={update.isPending}
              onClick={() => update.mutate({ id: rs.id, draining: !draining })}
            >
              {draining ? "Undrain" : "Drain"}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Edit realserver ${endpoint}`}
              onClick={onEdit}
            >
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete realserver ${endpoint}`}
              className="hover:text-red-600"
              onClick={onDelete}
            >
              Delete
            </Button>
          </span>
          {update.isError ? (
            <p id={errorId} role="alert" className="mt-1 text-right text-xs text-red-600">
              {update.error.message}
            </p>
          ) : null}
        </IfCanEdit>
      </td>
    </tr>
  );
}

function LiveConnections({
  endpoint,
  live,
  available,
}: {
  endpoint: string;
  live: LiveRealserver | undefined;
  available: boolean;
}) {
  const stale = useContext(LiveStaleReason);
  if (!available) return <span className="text-slate-400">—</span>;
  if (!live) {
    return (
      <span className="text-slate-400" title="Not in the director's table (yet)">
        —
      </span>
    );
  }
  const active = live.activeConns ?? 0;
  const inactive = live.inactiveConns ?? 0;
  const figures = `ActiveConn ${active}, InActConn ${inactive} (weight ${live.weight ?? "?"} on the director)`;
  return (
    // Named so it can be found and read, but not a live region: every row changing every 1.5 s
    // would keep a screen reader talking. role="status" is implicitly polite; aria-live turns
    // that off.
    <span
      role="status"
      aria-live="off"
      aria-label={`Connections to ${endpoint}: ${active} active, ${inactive} inactive${stale ? " (stale)" : ""}`}
      title={stale ? `${figures}. Stale: ${stale}` : figures}
      className={`tabular-nums ${stale ? "opacity-60" : ""}`}
    >
      <span className="font-medium text-slate-900">{active}</span> active ·{" "}
      <span className="font-medium text-slate-900">{inactive}</span> inactive
      {stale ? <span className="ml-1 font-medium text-amber-700">(stale)</span> : null}
    </span>
  );
}

/** The weight, edited in place: Enter or leaving the field saves, Escape cancels. */
function WeightCell({
  clusterId,
  realserver: rs,
  endpoint,
}: {
  clusterId: string;
  realserver: RealServer;
  endpoint: string;
}) {
  const canEdit = usePermissions().edit;
  const update = useUpdateRealServerMutation(clusterId);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // Enter saves and then the field goes away; its blur must not save a second time.
  const done = useRef(false);

  const drainNote = rs.draining ? (
    <span className="ml-1 text-xs text-amber-700" title="Draining: 0 on the director">
      (0 while draining)
    </span>
  ) : null;

  if (!canEdit) {
    return (
      <>
        {rs.weight}
        {drainNote}
      </>
    );
  }

  const start = () => {
    done.current = false;
    setValue(String(rs.weight));
    setError(null);
    update.reset();
    setEditing(true);
  };
  const cancel = () => {
    done.current = true;
    setEditing(false);
    setError(null);
  };
  const save = () => {
    if (done.current || update.isPending) return;
    const weight = parseNumber(value);
    const problem = validate(weightSchema, weight);
    if (problem) {
      setError(`Weight ${problem}`);
      return;
    }
    if (weight === rs.weight) {
      cancel();
      return;
    }
    update.mutate(
      { id: rs.id, weight: weight as number },
      {
        onSuccess: () => {
          done.current = true;
          setEditing(false);
        },
        onError: (err) => {
          const field = isApiError(err) ? err.fields.weight : undefined;
          setError(field ? `Weight ${field}` : err.message);
        },
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      cancel();
    }
  };

  if (!editing) {
    return (
      <>
        <button
          type="button"
          onClick={start}
          aria-label={`Weight of ${endpoint}: ${rs.weight}. Edit`}
          title="Edit the weight"
          className="group inline-flex items-center gap-1 rounded px-1.5 py-0.5 -ml-1.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {rs.weight}
          <PencilIcon className="size-3 text-slate-400 opacity-0 group-hover:opacity-100 group-focus-visible:opacity-100" />
        </button>
        {drainNote}
      </>
    );
  }
  return (
    <div className="min-w-24">
      <input
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to edit it
        autoFocus
        aria-label={`Weight of ${endpoint}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        inputMode="numeric"
        value={value}
        readOnly={update.isPending}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={save}
        onFocus={(e) => e.target.select()}
        className={`h-7 w-20 rounded-md border px-2 text-sm tabular-nums shadow-sm focus:outline-2 focus:outline-offset-0 ${
          error
            ? "border-red-400 focus:outline-red-500"
            : "border-slate-300 focus:outline-indigo-600"
        }`}
      />
      {error ? (
        <p id={errorId} role="alert" className="mt-1 max-w-48 text-xs text-red-600">
          {error}
        </p>
      ) : (
        <p className="sr-only">Enter saves, Escape cancels.</p>
      )}
    </div>
  );
}
