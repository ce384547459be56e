// Everything the apply reported, in order: the record an operator reads after the fact.
import type { ApplyEvent } from "../../../api/types.ts";
import { formatTime } from "../../../lib/format.ts";

const statusClass: Record<ApplyEvent["status"], string> = {
  running: "text-indigo-700",
  ok: "text-emerald-700",
  failed: "text-red-700",
  info: "text-slate-600",
};

export function ApplyEventLog({ events }: { events: ApplyEvent[] }) {
  if (events.length === 0) return null;
  return (
    <details className="rounded-lg border border-slate-200 bg-white">
      <summary className="cursor-pointer rounded-lg px-4 py-2.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
        Event log <span className="font-normal text-slate-500">({events.length})</span>
      </summary>
      <ol className="max-h-80 divide-y divide-slate-100 overflow-auto border-t border-slate-100 font-mono text-xs">
        {events.map((e) => (
          <li
            key={e.seq}
            className="grid grid-cols-[5.5rem_5rem_1fr] gap-2 px-4 py-1.5 sm:grid-cols-[5.5rem_5rem_9rem_1fr]"
          >
            <time dateTime={e.at} className="text-slate-400">
              {formatTime(e.at)}
            </time>
            <span className="text-slate-500">{e.stage}</span>
            <span className="hidden truncate text-slate-600 sm:block">
              {e.hostName ?? ""}
              {e.phase ? ` · ${e.phase}` : ""}
            </span>
            <span className={`break-words ${statusClass[e.status]}`}>
              <span className="sm:hidden text-slate-600">
                {e.hostName ? `${e.hostName}: ` : ""}
              </span>
              {e.message}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
