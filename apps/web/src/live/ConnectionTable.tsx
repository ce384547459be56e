// The director's connection entries in a real <table> whose body is virtualised: only the rows in
// view (plus a few) are rendered between two spacer rows, so 5,000 rows per tick scroll smoothly.
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useMemo, useRef, useState } from "react";
import { Table, type TableColumn } from "../components/Table.tsx";
import { formatExpires } from "./format.ts";
import { StateLabel } from "./StateLabel.tsx";
import { nextSort, type SortColumn, type SortSpec, sortRows } from "./sort.ts";
import type { LiveRow } from "./types.ts";

const ROW_HEIGHT = 34;

// Fixed widths (the layout is fixed) where the content is short; the addresses share the rest.
const COLUMNS: { id: SortColumn; label: string; align?: "right"; width?: string }[] = [
  { id: "protocol", label: "Protocol", width: "w-[6.5rem]" },
  { id: "state", label: "State", width: "w-[9rem]" },
  { id: "client", label: "Client" },
  { id: "virtual", label: "Virtual" },
  { id: "realserver", label: "Realserver" },
  { id: "expires", label: "Expires", align: "right", width: "w-[6rem]" },
];

const CELL = "border-b border-slate-100 px-3 py-0 whitespace-nowrap first:pl-5 last:pr-5";

export interface ConnectionTableProps {
  rows: readonly LiveRow[];
  /** Shown in place of rows when there are none. */
  empty: ReactNode;
}

export function ConnectionTable({ rows, empty }: ConnectionTableProps) {
  const [sort, setSort] = useState<SortSpec | null>(null);
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const columns: TableColumn[] = COLUMNS.map((column) => ({
    header: column.label,
    align: column.align,
    className: column.width,
    sort: {
      direction: sort?.column === column.id ? sort.direction : undefined,
      onSort: () => setSort((current) => nextSort(current, column.id)),
    },
  }));

  return (
    <Table
      look="live"
      label="Connections"
      columns={columns}
      rowCount={sorted.length + 1}
      scrollRef={scrollRef}
      className="max-h-[26rem] rounded-b-xl"
      tableClassName="min-w-[58rem] table-fixed border-separate border-spacing-0"
      bodyClassName="font-mono text-[0.8125rem] text-slate-700"
    >
      {sorted.length === 0 ? (
        <tr>
          <td colSpan={COLUMNS.length} className="px-4 py-14 font-sans">
            {empty}
          </td>
        </tr>
      ) : null}
      {before > 0 ? (
        // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row is not focusable; it only holds the scroll height
        <tr aria-hidden="true">
          <td colSpan={COLUMNS.length} style={{ height: before, padding: 0 }} />
        </tr>
      ) : null}
      {items.map((item) => {
        const row = sorted[item.index];
        if (!row) return null;
        return (
          <tr
            key={item.key}
            aria-rowindex={item.index + 2}
            className={`hover:bg-indigo-50/50 ${item.index % 2 === 1 ? "bg-slate-50/60" : "bg-white"}`}
            style={{ height: ROW_HEIGHT }}
          >
            <td className={`${CELL} font-sans text-xs font-medium text-slate-500`}>
              {row.protocol}
            </td>
            <td className={CELL}>
              <StateLabel state={row.state} />
            </td>
            <td className={`${CELL} truncate`} title={row.client}>
              {row.client}
              {row.template ? (
                <span className="ml-2 rounded bg-violet-50 px-1 py-0.5 font-sans text-[0.6875rem] font-medium text-violet-700 ring-1 ring-violet-200 ring-inset">
                  template
                </span>
              ) : null}
            </td>
            <td className={`${CELL} truncate`} title={row.virtual}>
              {row.virtual}
            </td>
            <td className={`${CELL} truncate`} title={row.realserver}>
              {row.realserver}
            </td>
            <td className={`${CELL} text-right tabular-nums`}>{formatExpires(row.expires)}</td>
          </tr>
        );
      })}
      {after > 0 ? (
        // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row is not focusable; it only holds the scroll height
        <tr aria-hidden="true">
          <td colSpan={COLUMNS.length} style={{ height: after, padding: 0 }} />
        </tr>
      ) : null}
    </Table>
  );
}
