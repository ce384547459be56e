// Client-side ordering of the connection rows the server sent (it filters and limits; the
// browser only reorders what it shows). Endpoints sort by address numerically, then port.
import type { LiveRow } from "./types.ts";

export type SortColumn = "protocol" | "state" | "client" | "virtual" | "realserver" | "expires";
export type SortDirection = "ascending" | "descending";

export interface SortSpec {
  column: SortColumn;
  direction: SortDirection;
}

/** Clicking a header: ascending, then descending, then back to the server's order. */
export function nextSort(current: SortSpec | null, column: SortColumn): SortSpec | null {
  if (current?.column !== column) return { column, direction: "ascending" };
  return current.direction === "ascending" ? { column, direction: "descending" } : null;
}

export function sortRows(rows: readonly LiveRow[], spec: SortSpec | null): readonly LiveRow[] {
  if (!spec) return rows;
  const compare = comparators[spec.column];
  const sign = spec.direction === "ascending" ? 1 : -1;
  // Decorate once: parsing endpoints inside the comparator would cost n log n parses.
  const keyed = rows.map((row, index) => ({ row, index, key: sortKey(row, spec.column) }));
  keyed.sort((a, b) => sign * compare(a.key, b.key) || a.index - b.index);
  return keyed.map((k) => k.row);
}

type Key = string | number | EndpointKey;

function sortKey(row: LiveRow, column: SortColumn): Key {
  switch (column) {
    case "expires":
      return row.expires;
    case "client":
    case "virtual":
    case "realserver":
      return endpointKey(row[column]);
    default:
      return row[column];
  }
}

const byText = (a: Key, b: Key) => String(a).localeCompare(String(b));
const comparators: Record<SortColumn, (a: Key, b: Key) => number> = {
  protocol: byText,
  state: byText,
  expires: (a, b) => (a as number) - (b as number),
  client: (a, b) => compareEndpointKeys(a as EndpointKey, b as EndpointKey),
  virtual: (a, b) => compareEndpointKeys(a as EndpointKey, b as EndpointKey),
  realserver: (a, b) => compareEndpointKeys(a as EndpointKey, b as EndpointKey),
};

interface EndpointKey {
  /** 4 before 6; 9 for anything unparseable, sorted by text last. */
  family: 4 | 6 | 9;
  address: string;
  port: number;
}

/** "10.0.0.2:80" < "10.0.0.10:80" < "[fd00::1]:80"; the same address orders by port. */
export function compareEndpoints(a: string, b: string): number {
  return compareEndpointKeys(endpointKey(a), endpointKey(b));
}

function compareEndpointKeys(a: EndpointKey, b: EndpointKey): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return a.port - b.port;
}

function endpointKey(text: string): EndpointKey {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  if (v6?.[1] && v6[2]) return { family: 6, address: expandIPv6(v6[1]), port: Number(v6[2]) };
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/.exec(text);
  if (v4) {
    // Fixed-width hex so that plain string comparison is numeric comparison.
    const address = v4
      .slice(1, 5)
      .map((octet) => Number(octet).toString(16).padStart(2, "0"))
      .join("");
    return { family: 4, address, port: Number(v4[5]) };
  }
  return { family: 9, address: text, port: 0 };
}

/** "fd00::1" → "fd00000000000000000000000000000001" (32 hex digits, comparable as text). */
function expandIPv6(address: string): string {
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.map((g) => g.padStart(4, "0")).join("");
}
