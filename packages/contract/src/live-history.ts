// The charts' point of a live tick: the counters only (no rows, totals or lifetime stats). The API
// keeps these for a page opened late; the web appends one per tick it receives. One shape, made here.
import type { HistoryPoint, LiveTick } from "./live.ts";

export function toHistoryPoint(tick: LiveTick): HistoryPoint {
  return {
    at: tick.at,
    services: tick.services.map((s) => ({
      key: s.key,
      activeConns: s.activeConns,
      inactiveConns: s.inactiveConns,
      rates: s.rates,
      realservers: s.realservers.map((r) => ({
        key: r.key,
        activeConns: r.activeConns,
        inactiveConns: r.inactiveConns,
        rates: r.rates,
      })),
    })),
  };
}
