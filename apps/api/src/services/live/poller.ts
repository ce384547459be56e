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
  /** The last read's ipvsadm figures (a tick's or a sample's): /metrics exports them. */
  counters: { at: string; services: LiveTick["services"] } | undefined;
  /** When a director was last read, which one (null: not known) and whether it answered. */
  lastRead: { at: string; ok: boolean; hostId: string | null } | undefined;
}

export function newPoller(): ClusterPoller {
  return {
    watchers: new Set(),
    timer: undefined,
    busy: false,
    again: false,
    history: [],
    restUntil: 0,
    counters: undefined,
    lastRead: undefined,
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

/**
 * Remembers how a read of the director went, and its figures when it answered. A read that
 * failed does not say which director it tried: the one read last (the live view reads the same
 * director until a pair's MASTER changes).
 */
export function noteRead(
  poller: ClusterPoller,
  read: { tick: LiveTick | undefined; hostId: string | undefined } | undefined,
): void {
  if (!read?.tick) {
    const hostId = read?.hostId ?? poller.lastRead?.hostId ?? null;
    poller.lastRead = { at: new Date().toISOString(), ok: false, hostId };
    return;
  }
  poller.lastRead = { at: read.tick.at, ok: true, hostId: read.hostId ?? null };
  poller.counters = { at: read.tick.at, services: read.tick.services };
}
