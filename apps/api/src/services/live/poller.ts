// One cluster's live state between reads: who watches it, whether a read is out (reads never
// overlap), when the director may next be asked for its connection table, and the charts' history.
import type { HistoryPoint } from "@lvs-panel/contract";
import type { LiveFilter, LiveTick } from "./view.ts";

export type LiveEvent =
  | { type: "tick"; tick: LiveTick }
  | { type: "error"; message: string; at: string };

export interface Watcher {
  filter: LiveFilter;
  send(event: LiveEvent): void;
}

export interface ClusterPoller {
  watchers: Set<Watcher>;
  timer: ReturnType<typeof setInterval> | undefined;
  /** A read (tick or sample) is out; ticks never overlap. */
  busy: boolean;
  /** Watchers arrived during that read: tick again as soon as it ends, not an interval later. */
  again: boolean;
  history: HistoryPoint[];
  /** No connection-table read before this (performance.now()); see restAfterTableRead. */
  restUntil: number;
}

export function newPoller(): ClusterPoller {
  return {
    watchers: new Set(),
    timer: undefined,
    busy: false,
    again: false,
    history: [],
    restUntil: 0,
  };
}

/**
 * After a connection-table read that took R ms the director rests REST_FACTOR × R, so watching a
 * huge table costs it at most a quarter of a core (a million entries take ~1 s of awk; busybox's
 * awk several) instead of all of one. Counter reads are cheap and never wait.
 */
const REST_FACTOR = 3;

export function restAfterTableRead(poller: ClusterPoller, readMs: number): void {
  poller.restUntil = performance.now() + REST_FACTOR * readMs;
}

export function isResting(poller: ClusterPoller): boolean {
  return performance.now() < poller.restUntil;
}
