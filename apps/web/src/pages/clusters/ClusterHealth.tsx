// A cluster's health on the overview: the last apply's outcome, which of its hosts answer over
// SSH (checked by the server in the background; unknown until the first check ends) and, on the
// keepalived engine, how many realservers pass their checks as last read.
import type { ClusterOverview } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { formatRelative } from "../../lib/format.ts";
import { ApplyStatusBadge } from "../cluster/apply/ApplyStatusBadge.tsx";

export function ClusterHealth({
  overview,
  failed = false,
}: {
  overview: ClusterOverview | undefined;
  /** The overview could not be loaded (the page says why, once, above the list). */
  failed?: boolean;
}) {
  if (!overview) {
    return failed ? (
      <p className="text-xs text-red-700">Health unavailable: the overview did not load.</p>
    ) : (
      <p className="text-xs text-slate-400">Checking…</p>
    );
  }
  const { lastApply, hosts } = overview;
  const checked = hosts.filter((h) => h.reachable !== null);
  const reachable = hosts.filter((h) => h.reachable === true);
  const unreachable = hosts.filter((h) => h.reachable === false);
  return (
    <div className="min-w-0 space-y-1 text-xs text-slate-600">
      <p className="flex flex-wrap items-center gap-1.5">
        <span className="text-slate-500">Last apply</span>
        {lastApply ? (
          <>
            <ApplyStatusBadge status={lastApply.status} />
            <span className="text-slate-500" title={lastApply.startedAt}>
              {formatRelative(lastApply.finishedAt ?? lastApply.startedAt)}
              {lastApply.username ? ` by ${lastApply.username}` : ""}
            </span>
          </>
        ) : (
          <Badge>Never</Badge>
        )}
      </p>
      {hosts.length === 0 ? (
        <p className="text-slate-500">No hosts yet</p>
      ) : checked.length === 0 ? (
        // Nothing probed yet (the panel just started, or the hosts are new): not "0/4 reachable".
        <p className="flex flex-wrap items-center gap-1.5">
          <span className="text-slate-500">Hosts</span>
          <Badge>checking…</Badge>
        </p>
      ) : (
        <p className="flex flex-wrap items-center gap-1.5">
          <span className="text-slate-500">Hosts</span>
          <Badge
            tone={
              unreachable.length > 0 ? "red" : checked.length < hosts.length ? "neutral" : "green"
            }
          >
            {reachable.length}/{hosts.length} reachable
          </Badge>
          {checked.length < hosts.length ? (
            <span className="text-slate-400">checking {hosts.length - checked.length}…</span>
          ) : null}
        </p>
      )}
      {overview.engine === "keepalived" ? (
        <p className="flex flex-wrap items-center gap-1.5">
          <span className="text-slate-500">Checks</span>
          {overview.health ? (
            <>
              <Badge tone="green">{overview.health.up} up</Badge>
              {overview.health.down > 0 ? (
                <Badge tone="red">{overview.health.down} down</Badge>
              ) : null}
              {overview.health.unknown > 0 ? (
                <Badge>{overview.health.unknown} unknown</Badge>
              ) : null}
            </>
          ) : (
            <span className="text-slate-400">not read yet</span>
          )}
        </p>
      ) : null}
      {unreachable.length > 0 ? (
        <ul className="space-y-0.5" aria-label="Unreachable hosts">
          {unreachable.map((h) => (
            <li key={h.id} className="truncate text-red-700" title={h.error ?? undefined}>
              <span className="font-medium">{h.name}</span> ({h.role}): {h.error ?? "unreachable"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
