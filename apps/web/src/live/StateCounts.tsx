// How the director's whole table splits by state (not only the rows shown), as small badges.
import { formatCount } from "./format.ts";
import { stateTone } from "./StateLabel.tsx";
import type { LiveTick, LiveTotals } from "./types.ts";

/** `totals`: the tick's, present whenever the connection table was read (the live page's). */
export function StateCounts({ tick, totals }: { tick: LiveTick; totals: LiveTotals }) {
  const states = Object.entries(totals.byState).sort((a, b) => b[1] - a[1]);
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-slate-500">
      <span>
        Director table:{" "}
        <span className="font-semibold text-slate-800">{formatCount(totals.entries)}</span> entries,{" "}
        {formatCount(totals.templates)} templates
      </span>
      {states.length > 0 ? (
        <ul aria-label="Entries by state" className="flex flex-wrap gap-1.5">
          {states.map(([state, n]) => (
            <li
              key={state}
              className="inline-flex items-center gap-1.5 rounded-md bg-slate-50 px-1.5 py-0.5 font-medium text-slate-700 ring-1 ring-slate-200 ring-inset"
            >
              <span aria-hidden="true" className={`size-1.5 rounded-full ${stateTone(state)}`} />
              {state}
              <span className="text-slate-900 tabular-nums">{formatCount(n)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <span className="ml-auto tabular-nums">
        read {tick.readMs} ms · processed {tick.processMs} ms
        {tick.parseErrors > 0 ? ` · ${tick.parseErrors} unreadable lines` : ""}
      </span>
    </div>
  );
}
