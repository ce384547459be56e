// The charts' memory on the server: per cluster, the last minutes of counters, so a page opened
// late has its 15 minutes. Points come every tick while someone watches, every sample otherwise.
import { type HistoryPoint, toHistoryPoint } from "@lvs-panel/contract";
import type { LiveTick } from "./view.ts";

/**
 * Appends the tick's point and drops those older than `windowMs` before it; never more points
 * than one per `intervalMs` over the window.
 */
export function rememberTick(
  history: HistoryPoint[],
  tick: LiveTick,
  windowMs: number,
  intervalMs: number,
): void {
  const maxPoints = Math.ceil(windowMs / intervalMs);
  history.push(toHistoryPoint(tick));
  const oldest = Date.parse(tick.at) - windowMs;
  while (history.length > maxPoints || Date.parse(history[0]?.at ?? tick.at) < oldest) {
    history.shift();
  }
}
