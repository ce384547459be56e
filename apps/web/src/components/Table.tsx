// A table of records: the frame, the header row and the body's style in one place, so column
// headers, accessible names and sortable columns work alike everywhere. Rows and cells stay plain
// <tr>/<td> in the caller: their content is what differs from table to table.
import type { ReactNode, Ref } from "react";

/** Where the table sits, which decides its frame and how loud its header is. */
export type TableLook =
  /** A page's main list: a white framed panel with a grey header band. */
  | "panel"
  /** Edge to edge inside a Card. */
  | "flush"
  /** The live view's dense figures: upper-case headers on a grey band. */
  | "live"
  /** Inside another table's expanded row: no frame, no outer padding. */
  | "nested";

interface LookClasses {
  frame: string;
  head: string;
  header: string;
  body: string;
  /** Horizontal padding of the first, middle and last header cells, matching the card's edges. */
  padding: { first: string; middle: string; last: string };
}

const EDGE_PADDING = { first: "pl-5 pr-3", middle: "px-3", last: "pl-3 pr-5" };

const LOOKS: Record<TableLook, LookClasses> = {
  panel: {
    frame: "rounded-xl border border-slate-200 bg-white shadow-sm",
    head: "border-b border-slate-200 bg-slate-50 text-xs text-slate-500",
    header: "py-2.5 font-medium",
    body: "divide-y divide-slate-100",
    padding: EDGE_PADDING,
  },
  flush: {
    frame: "",
    head: "bg-slate-50 text-xs text-slate-500",
    header: "py-2 font-medium",
    body: "divide-y divide-slate-100",
    padding: EDGE_PADDING,
  },
  live: {
    frame: "",
    head: "",
    // On the cells, not the row: with a scroll box the cells stick, and a row's border would not.
    header:
      "h-9 border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-500 uppercase",
    body: "divide-y divide-slate-100",
    padding: EDGE_PADDING,
  },
  nested: {
    frame: "",
    head: "text-xs text-slate-500",
    header: "py-1.5 font-medium",
    body: "divide-y divide-slate-100 border-t border-slate-200",
    padding: { first: "pr-3", middle: "pr-3", last: "" },
  },
};

export type SortDirection = "ascending" | "descending";

export interface TableColumn {
  /** What every cell under it is; screen readers read it with each cell. */
  header: ReactNode;
  /** Read by screen readers only, e.g. "Actions" above a column of buttons. */
  headerHidden?: boolean;
  align?: "left" | "right";
  /** Extra classes for the header cell: a width, or `hidden sm:table-cell` (give its cells the same). */
  className?: string;
  /** Makes the header a button that sorts by this column. */
  sort?: { direction: SortDirection | undefined; onSort: () => void };
}

export interface TableProps {
  columns: readonly TableColumn[];
  /** The body rows. */
  children: ReactNode;
  look?: TableLook;
  /** Accessible name, as `aria-label`. */
  label?: string;
  /** Accessible name, as a visually hidden <caption>. */
  caption?: string;
  /** Classes for the box around the table (a border, a height). */
  className?: string;
  /** Classes for the <table> itself (a minimum width, a fixed layout). */
  tableClassName?: string;
  /** Replaces the look's classes for the <tbody>. */
  bodyClassName?: string;
  /** The total number of rows (header included) when only some are in the DOM. */
  rowCount?: number;
  /**
   * Turns the box into a focusable scroll region with the header row kept in view, for tall
   * (virtualised) tables; the ref is the scroll element.
   */
  scrollRef?: Ref<HTMLDivElement>;
}

export function Table({
  columns,
  children,
  look = "panel",
  label,
  caption,
  className = "",
  tableClassName = "",
  bodyClassName,
  rowCount,
  scrollRef,
}: TableProps) {
  const classes = LOOKS[look];
  const scrolls = scrollRef !== undefined;
  return (
    <div
      ref={scrollRef}
      // A scrollable region must be reachable by keyboard.
      tabIndex={scrolls ? 0 : undefined}
      className={`${
        scrolls
          ? "overflow-auto overscroll-contain focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
          : "overflow-x-auto"
      } ${classes.frame} ${className}`}
    >
      <table
        aria-label={label}
        aria-rowcount={rowCount}
        className={`w-full text-left text-sm ${tableClassName}`}
      >
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className={classes.head}>
          <tr aria-rowindex={rowCount === undefined ? undefined : 1}>
            {columns.map((column, index) => (
              <ColumnHeader
                // biome-ignore lint/suspicious/noArrayIndexKey: a table's columns are fixed, so their position is their identity
                key={index}
                column={column}
                className={`${classes.header} ${
                  index === 0
                    ? classes.padding.first
                    : index === columns.length - 1
                      ? classes.padding.last
                      : classes.padding.middle
                } ${scrolls ? "sticky top-0 z-10" : ""}`}
              />
            ))}
          </tr>
        </thead>
        <tbody className={bodyClassName ?? classes.body}>{children}</tbody>
      </table>
    </div>
  );
}

function ColumnHeader({ column, className }: { column: TableColumn; className: string }) {
  const { header, headerHidden = false, align = "left", sort } = column;
  const text = headerHidden ? <span className="sr-only">{header}</span> : header;
  return (
    <th
      scope="col"
      aria-sort={sort ? (sort.direction ?? "none") : undefined}
      className={`${className} ${align === "right" ? "text-right" : ""} ${column.className ?? ""}`}
    >
      {sort ? (
        // A button does not inherit text-transform on its own; the look's upper case must reach it.
        <button
          type="button"
          onClick={sort.onSort}
          className={`inline-flex items-center gap-1 rounded [text-transform:inherit] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
            sort.direction ? "text-slate-900" : "text-slate-500 hover:text-slate-800"
          }`}
        >
          {text}
          <SortIndicator direction={sort.direction} />
        </button>
      ) : (
        text
      )}
    </th>
  );
}

function SortIndicator({ direction }: { direction: SortDirection | undefined }) {
  return (
    <svg viewBox="0 0 12 12" className="size-3" aria-hidden="true">
      <path
        d="M3 5l3-3 3 3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        opacity={direction === "ascending" ? 1 : 0.3}
      />
      <path
        d="M3 7l3 3 3-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        opacity={direction === "descending" ? 1 : 0.3}
      />
    </svg>
  );
}
