// A realserver's ActiveConn/InActConn from the director's latest reading, so a drained one can be
// watched emptying; marked stale when the readings stopped.
import { createContext, useContext } from "react";
import type { LiveRealserver } from "../../live/types.ts";

/**
 * Why the live figures on the page are no longer current (the director cannot be read, or the
 * stream stopped), or null while they are. Provided by the cluster page, which explains it once
 * above the services; each row marks its counts as stale.
 */
export const LiveStaleReason = createContext<string | null>(null);

export function LiveConnections({
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
