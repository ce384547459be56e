// One audit entry's before → after, key by key, with changed keys highlighted.
import { useState } from "react";
import type { AuditEntry } from "../../api/types.ts";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { type ChangeKind, diffValues } from "./auditDiff.ts";

const COLUMNS: TableColumn[] = [
  { header: "Field", className: "w-40" },
  { header: "Before" },
  { header: "After" },
];

const rowTone: Record<ChangeKind, string> = {
  changed: "bg-amber-50/70",
  added: "bg-emerald-50/70",
  removed: "bg-red-50/70",
  same: "",
};

const kindLabel: Record<ChangeKind, string> = {
  changed: "changed",
  added: "added",
  removed: "removed",
  same: "",
};

function Value({ text, tone }: { text: string | null; tone: "old" | "new" | "plain" }) {
  if (text === null) return <span className="text-slate-400">—</span>;
  const color =
    tone === "old"
      ? "text-red-800 line-through decoration-red-300"
      : tone === "new"
        ? "text-emerald-800"
        : "text-slate-600";
  return (
    <pre className={`font-mono text-xs leading-relaxed break-all whitespace-pre-wrap ${color}`}>
      {text}
    </pre>
  );
}

export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const all = diffValues(entry.before, entry.after);
  const unchanged = all.filter((row) => row.kind === "same").length;
  // An update shows what changed; the untouched fields wait behind a button.
  const [showAll, setShowAll] = useState(unchanged === all.length);
  const rows = showAll ? all : all.filter((row) => row.kind !== "same");
  if (all.length === 0) {
    return <p className="text-sm text-slate-500">No values were recorded for this action.</p>;
  }
  return (
    <>
      <Table
        look="nested"
        caption="Changes: before and after"
        columns={COLUMNS}
        tableClassName="table-fixed"
      >
        {rows.map((row) => {
          const changed = row.kind !== "same";
          return (
            <tr key={row.key} className={`align-top ${rowTone[row.kind]}`}>
              <th scope="row" className="py-1.5 pr-3 pl-2 font-mono text-xs font-medium">
                <span className={changed ? "text-slate-900" : "text-slate-500"}>{row.key}</span>
                {changed ? (
                  <span className="mt-0.5 block font-sans text-[11px] font-normal text-slate-500">
                    {kindLabel[row.kind]}
                  </span>
                ) : null}
              </th>
              <td className="py-1.5 pr-3">
                <Value text={row.before} tone={changed ? "old" : "plain"} />
              </td>
              <td className="py-1.5 pr-2">
                <Value text={row.after} tone={changed ? "new" : "plain"} />
              </td>
            </tr>
          );
        })}
      </Table>
      {unchanged > 0 && unchanged < all.length ? (
        <button
          type="button"
          aria-expanded={showAll}
          onClick={() => setShowAll((v) => !v)}
          className="mt-2 rounded text-xs font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {showAll
            ? "Hide unchanged fields"
            : `Show ${unchanged} unchanged field${unchanged === 1 ? "" : "s"}`}
        </button>
      ) : null}
    </>
  );
}
