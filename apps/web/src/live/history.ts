// The charts' memory: the server's last 15 minutes to start with, each tick appended, points
// older than the window dropped. Pure, so the merging and the series shape are unit-tested.
import type { HistoryPoint } from "./types.ts";

export const HISTORY_WINDOW_MS = 15 * 60_000;
/** A longer silence between points (paused, director unreachable) breaks the chart's lines. */
export const GAP_MS = 10_000;

/**
 * Points of both lists, one per timestamp (the incoming one wins), oldest first, none older than
 * `windowMs` before the newest. Appending newer points — the usual case — avoids a full sort.
 */
export function mergeHistory(
  current: readonly HistoryPoint[],
  incoming: readonly HistoryPoint[],
  windowMs = HISTORY_WINDOW_MS,
): HistoryPoint[] {
  const fresh = incoming.filter((p) => !Number.isNaN(Date.parse(p.at)));
  const last = current.at(-1);
  let merged: HistoryPoint[];
  if (last && fresh.every((p, i) => Date.parse(p.at) > Date.parse(fresh[i - 1]?.at ?? last.at))) {
    merged = [...current, ...fresh];
  } else {
    const byTime = new Map<number, HistoryPoint>();
    for (const p of current) byTime.set(Date.parse(p.at), p);
    for (const p of fresh) byTime.set(Date.parse(p.at), p);
    merged = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  }
  const newest = merged.at(-1);
  if (!newest) return merged;
  const cutoff = Date.parse(newest.at) - windowMs;
  const first = merged.findIndex((p) => Date.parse(p.at) >= cutoff);
  return first <= 0 ? merged : merged.slice(first);
}

export type SeriesValues = (number | null)[];

/** One service's history as uPlot columns: x in Unix seconds, one array per line. */
export interface ServiceSeries {
  x: number[];
  /** ActiveConn and InActConn: a drained realserver empties in both, however short its requests. */
  realservers: { key: string; active: SeriesValues; inactive: SeriesValues }[];
  cps: SeriesValues;
  inBps: SeriesValues;
  outBps: SeriesValues;
}

export function serviceSeries(history: readonly HistoryPoint[], serviceKey: string): ServiceSeries {
  const out: ServiceSeries = { x: [], realservers: [], cps: [], inBps: [], outBps: [] };
  const rsIndex = new Map<string, number>();
  let previous: number | undefined;
  const push = (
    t: number,
    values: Map<string, { active: number | null; inactive: number | null }> | null,
    rates: Record<string, number> | null,
  ) => {
    const row = out.x.length;
    out.x.push(t / 1000);
    for (const rs of out.realservers) {
      rs.active.push(null);
      rs.inactive.push(null);
    }
    if (values) {
      for (const [key, conns] of values) {
        let index = rsIndex.get(key);
        if (index === undefined) {
          index = out.realservers.length;
          rsIndex.set(key, index);
          out.realservers.push({
            key,
            active: Array<number | null>(row + 1).fill(null),
            inactive: Array<number | null>(row + 1).fill(null),
          });
        }
        const series = out.realservers[index];
        if (series) {
          series.active[row] = conns.active;
          series.inactive[row] = conns.inactive;
        }
      }
    }
    out.cps.push(rates?.CPS ?? null);
    out.inBps.push(rates?.InBPS ?? null);
    out.outBps.push(rates?.OutBPS ?? null);
  };
  for (const point of history) {
    const t = Date.parse(point.at);
    if (previous !== undefined && t - previous > GAP_MS) push(previous + 1000, null, null);
    previous = t;
    const service = point.services.find((s) => s.key === serviceKey);
    const conns = new Map<string, { active: number | null; inactive: number | null }>();
    for (const rs of service?.realservers ?? []) {
      conns.set(rs.key, { active: rs.activeConns ?? null, inactive: rs.inactiveConns ?? null });
    }
    push(t, conns, service ? service.rates : null);
  }
  return out;
}
