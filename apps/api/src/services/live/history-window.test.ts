import type { HistoryPoint, LiveTick } from "@lvs-panel/contract";
import { describe, expect, it } from "vitest";
import { rememberTick } from "./history-window.ts";

const T0 = Date.parse("2024-05-01T10:00:00.000Z");

function tick(offsetMs: number): LiveTick {
  return {
    at: new Date(T0 + offsetMs).toISOString(),
    readMs: 5,
    processMs: 1,
    truncated: false,
    rows: [],
    services: [
      {
        key: "TCP 192.168.77.100:80",
        activeConns: 3,
        inactiveConns: 1,
        stats: { Conns: 100 },
        rates: { CPS: 2 },
        realservers: [
          {
            key: "10.10.0.11:80",
            weight: 1,
            activeConns: 3,
            inactiveConns: 1,
            stats: { Conns: 100 },
            rates: { CPS: 2 },
          },
        ],
      },
    ],
    parseErrors: 0,
  };
}

describe("rememberTick", () => {
  it("keeps the counters the charts draw, not the lifetime stats or the weights", () => {
    const history: HistoryPoint[] = [];
    rememberTick(history, tick(0), 60_000, 1000);
    expect(history).toEqual([
      {
        at: tick(0).at,
        services: [
          {
            key: "TCP 192.168.77.100:80",
            activeConns: 3,
            inactiveConns: 1,
            rates: { CPS: 2 },
            realservers: [
              { key: "10.10.0.11:80", activeConns: 3, inactiveConns: 1, rates: { CPS: 2 } },
            ],
          },
        ],
      },
    ]);
  });

  it("drops points older than the window before the newest", () => {
    const history: HistoryPoint[] = [];
    for (const offset of [0, 10_000, 50_000, 65_000])
      rememberTick(history, tick(offset), 60_000, 1000);
    expect(history.map((p) => Date.parse(p.at) - T0)).toEqual([10_000, 50_000, 65_000]);
  });

  it("keeps at most a window's worth of points at the interval, however often they come", () => {
    const history: HistoryPoint[] = [];
    for (let i = 0; i < 30; i++) rememberTick(history, tick(i * 100), 60_000, 5000);
    expect(history).toHaveLength(12);
    expect(history.at(-1)?.at).toBe(tick(2900).at);
  });
});
