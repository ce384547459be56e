import { describe, expect, it } from "vitest";
import { GAP_MS, HISTORY_WINDOW_MS, mergeHistory, serviceSeries } from "./history.ts";
import type { HistoryPoint } from "./types.ts";

const T0 = Date.parse("2024-05-01T10:00:00.000Z");

function point(
  offsetMs: number,
  active: Record<string, number>,
  cps = 1,
  inactive: Record<string, number> = {},
): HistoryPoint {
  return {
    at: new Date(T0 + offsetMs).toISOString(),
    services: [
      {
        key: "TCP 192.168.77.100:80",
        activeConns: Object.values(active).reduce((a, b) => a + b, 0),
        inactiveConns: 0,
        rates: { CPS: cps, InPPS: 0, OutPPS: 0, InBPS: 100 * cps, OutBPS: 200 * cps },
        realservers: Object.entries(active).map(([key, n]) => ({
          key,
          activeConns: n,
          inactiveConns: inactive[key] ?? 0,
          rates: {},
        })),
      },
    ],
  };
}

describe("mergeHistory", () => {
  it("appends newer points", () => {
    const a = [point(0, {}), point(1500, {})];
    const merged = mergeHistory(a, [point(3000, {})]);
    expect(merged.map((p) => p.at)).toEqual([a[0]?.at, a[1]?.at, point(3000, {}).at]);
  });

  it("merges overlapping seeds once per timestamp, sorted, the incoming point winning", () => {
    const live = [point(3000, {}, 1), point(4500, {}, 1)];
    const seed = [point(0, {}), point(1500, {}), point(3000, {}, 9)];
    const merged = mergeHistory(live, seed);
    expect(merged.map((p) => Date.parse(p.at) - T0)).toEqual([0, 1500, 3000, 4500]);
    expect(merged[2]?.services[0]?.rates.CPS).toBe(9);
  });

  it("drops points older than the window before the newest", () => {
    const old = point(0, {});
    const merged = mergeHistory([old, point(60_000, {})], [point(HISTORY_WINDOW_MS + 30_000, {})]);
    expect(merged.map((p) => Date.parse(p.at) - T0)).toEqual([60_000, HISTORY_WINDOW_MS + 30_000]);
  });

  it("starts from nothing", () => {
    expect(mergeHistory([], [])).toEqual([]);
    expect(mergeHistory([], [point(0, {})])).toHaveLength(1);
  });
});

describe("serviceSeries", () => {
  it("gives active and inactive columns per realserver, null where it was absent", () => {
    const s = serviceSeries(
      [
        point(0, { "10.10.0.11:80": 2 }, 1, { "10.10.0.11:80": 7 }),
        point(1500, { "10.10.0.11:80": 3, "10.10.0.12:80": 1 }),
      ],
      "TCP 192.168.77.100:80",
    );
    expect(s.x).toEqual([T0 / 1000, (T0 + 1500) / 1000]);
    expect(s.realservers).toEqual([
      { key: "10.10.0.11:80", active: [2, 3], inactive: [7, 0] },
      { key: "10.10.0.12:80", active: [null, 1], inactive: [null, 0] },
    ]);
    expect(s.cps).toEqual([1, 1]);
    expect(s.outBps).toEqual([200, 200]);
  });

  it("breaks lines across a gap in the data", () => {
    const s = serviceSeries(
      [point(0, { a: 1 }), point(GAP_MS + 5000, { a: 2 })],
      "TCP 192.168.77.100:80",
    );
    expect(s.x).toHaveLength(3);
    expect(s.realservers[0]?.active).toEqual([1, null, 2]);
    expect(s.realservers[0]?.inactive).toEqual([0, null, 0]);
    expect(s.cps[1]).toBeNull();
  });

  it("is empty for a service the director does not have", () => {
    const s = serviceSeries([point(0, { a: 1 })], "UDP 10.0.0.1:53");
    expect(s.realservers).toEqual([]);
    expect(s.cps).toEqual([null]);
  });
});
