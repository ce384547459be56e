import { describe, expect, it } from "vitest";
import { compareEndpoints, nextSort, sortRows } from "./sort.ts";
import type { LiveRow } from "./types.ts";

function row(client: string, state: string, expires: number): LiveRow {
  return {
    protocol: "TCP",
    state,
    expires,
    client,
    virtual: "192.168.77.100:80",
    realserver: "10.10.0.11:80",
    template: false,
  };
}

const rows = [
  row("192.168.77.10:5000", "TIME_WAIT", 113),
  row("192.168.77.2:40000", "ESTABLISHED", 890),
  row("[fd00::2]:1000", "FIN_WAIT", 16),
  row("192.168.77.2:39000", "ESTABLISHED", 20),
];

describe("compareEndpoints", () => {
  it("orders IPv4 numerically, then by port, IPv6 after IPv4", () => {
    expect(compareEndpoints("10.0.0.2:80", "10.0.0.10:80")).toBeLessThan(0);
    expect(compareEndpoints("10.0.0.2:443", "10.0.0.2:80")).toBeGreaterThan(0);
    expect(compareEndpoints("[fd00::1]:80", "10.0.0.2:80")).toBeGreaterThan(0);
    expect(compareEndpoints("[fd00::9]:80", "[fd00::10]:80")).toBeLessThan(0);
    expect(compareEndpoints("[fd00:0:0::1]:80", "[fd00::1]:80")).toBe(0);
  });
});

describe("sortRows", () => {
  it("keeps the server's order without a sort", () => {
    expect(sortRows(rows, null)).toBe(rows);
  });

  it("sorts clients by address and port", () => {
    const sorted = sortRows(rows, { column: "client", direction: "ascending" });
    expect(sorted.map((r) => r.client)).toEqual([
      "192.168.77.2:39000",
      "192.168.77.2:40000",
      "192.168.77.10:5000",
      "[fd00::2]:1000",
    ]);
  });

  it("sorts expiry numerically, descending", () => {
    const sorted = sortRows(rows, { column: "expires", direction: "descending" });
    expect(sorted.map((r) => r.expires)).toEqual([890, 113, 20, 16]);
  });

  it("is stable: equal states keep the server's order", () => {
    const sorted = sortRows(rows, { column: "state", direction: "ascending" });
    expect(sorted.map((r) => r.client)).toEqual([
      "192.168.77.2:40000",
      "192.168.77.2:39000",
      "[fd00::2]:1000",
      "192.168.77.10:5000",
    ]);
  });

  it("does not change the input", () => {
    const copy = [...rows];
    sortRows(rows, { column: "expires", direction: "ascending" });
    expect(rows).toEqual(copy);
  });
});

describe("nextSort", () => {
  it("cycles ascending → descending → none, and starts over on another column", () => {
    const asc = nextSort(null, "state");
    expect(asc).toEqual({ column: "state", direction: "ascending" });
    const desc = nextSort(asc, "state");
    expect(desc).toEqual({ column: "state", direction: "descending" });
    expect(nextSort(desc, "state")).toBeNull();
    expect(nextSort(desc, "client")).toEqual({ column: "client", direction: "ascending" });
  });
});
