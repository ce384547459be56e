// Live view: one poller per watched cluster reads the director once per tick, however many
// browsers watch, and fans the result out filtered per watcher. A slow or unreachable director
// delays only its own cluster's ticks (they never overlap) and shows up as an error event.
// When every watcher asks only for counters (limit 0, no filter: the cluster page), the tick reads
// ipvsadm's listings and not the connection table, which can be tens of MB.
// So the 15-minute charts have data when someone opens them, a cheap sampler reads only the
// counters of every cluster nobody watches, every `statsIntervalMs`; each cluster on its own, so
// a stuck director leaves a gap in its own chart only.
import type { HistoryPoint } from "@lvs-panel/contract";
import { parseConnectionSummary, renderConnectionSummaryScript } from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { readSection, renderReadScript, splitReadOutput } from "../apply/read-script.ts";
import { notFound } from "../errors.ts";
import { type ClusterHealthService, KEEPALIVED_PID_READ } from "../health/cluster-health.ts";
import type { TargetResolver } from "../host-targets.ts";
import { createTickBuilder, type TickBuilderOptions } from "./tick-builder.ts";
import {
  buildTicks,
  buildTicksFromSummary,
  type LiveFilter,
  type LiveTick,
  needsConnectionTable,
} from "./view.ts";

export type { HistoryPoint };

export type LiveEvent =
  | { type: "tick"; tick: LiveTick }
  | { type: "error"; message: string; at: string };

interface Watcher {
  filter: LiveFilter;
  send(event: LiveEvent): void;
}

interface ClusterPoller {
  watchers: Set<Watcher>;
  timer: ReturnType<typeof setInterval> | undefined;
  /** A read (tick or sample) is out; ticks never overlap. */
  busy: boolean;
  /** Watchers arrived during that read: tick again as soon as it ends, not an interval later. */
  again: boolean;
  history: HistoryPoint[];
  /**
   * No connection-table read before this (performance.now()): after one that took R ms the
   * director rests REST_FACTOR × R, so watching a huge table costs it at most a quarter of a core
   * (a million entries take ~1 s of awk; busybox's awk several) instead of all of one.
   */
  restUntil: number;
}

const REST_FACTOR = 3;

const READS = [
  { id: "conn", argv: ["cat", "/proc/net/ip_vs_conn"] },
  { id: "list", argv: ["ipvsadm", "-Ln"] },
  { id: "stats", argv: ["ipvsadm", "-Ln", "--stats", "--exact"] },
  { id: "rates", argv: ["ipvsadm", "-Ln", "--rate", "--exact"] },
  // Whether keepalived runs, for the health verdicts judged from `list`: builtins, no process.
  KEEPALIVED_PID_READ,
];
const COUNTER_READS = READS.filter((r) => r.id !== "conn");
/** The whole table, parsed here on a worker: only when the director cannot summarise it. */
const READ_SCRIPT = renderReadScript(READS);
const STATS_SCRIPT = renderReadScript(COUNTER_READS);

/**
 * The director filters, counts and limits the connection table itself (one awk pass for every
 * watcher's filter) and sends only the summary: what crosses SSH no longer grows with the table.
 */
function summaryScript(filters: readonly LiveFilter[]): string {
  return renderReadScript([
    { id: "summary", shell: renderConnectionSummaryScript(filters) },
    ...COUNTER_READS,
  ]);
}

export function createLiveHub(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  intervalMs: number;
  /** Counters of unwatched clusters, for the charts' history; 0 (the default) turns it off. */
  statsIntervalMs?: number;
  historyMinutes?: number;
  builder?: TickBuilderOptions;
  /** Judges the realservers' health from each tick's table (keepalived engine). */
  health?: Pick<ClusterHealthService, "fromObservation">;
}) {
  const pollers = new Map<string, ClusterPoller>();
  const builder = createTickBuilder(deps.builder);
  let closed = false;
  const historyMs = (deps.historyMinutes ?? 15) * 60_000;
  const historyPoints = Math.ceil(historyMs / deps.intervalMs);

  function pollerOf(clusterId: string): ClusterPoller {
    let poller = pollers.get(clusterId);
    if (!poller) {
      poller = {
        watchers: new Set(),
        timer: undefined,
        busy: false,
        again: false,
        history: [],
        restUntil: 0,
      };
      pollers.set(clusterId, poller);
    }
    return poller;
  }

  /** Keeps the last `historyMinutes`, whether points came every tick or every sample. */
  function remember(poller: ClusterPoller, tick: LiveTick) {
    poller.history.push(toHistoryPoint(tick));
    const oldest = Date.parse(tick.at) - historyMs;
    while (
      poller.history.length > historyPoints ||
      Date.parse(poller.history[0]?.at ?? tick.at) < oldest
    ) {
      poller.history.shift();
    }
  }

  /** The read script's raw output: the full script, or the counters-only one. */
  async function readDirector(
    clusterId: string,
    script: string,
  ): Promise<{ stdout: string; readMs: number } | undefined> {
    const director = await deps.db.director.findUnique({ where: { clusterId } });
    if (!director) return undefined;
    const runner = deps.pool.runner(await deps.targets.target(director.hostId));
    const started = performance.now();
    const result = await runner.run({ script }, { timeoutMs: 10_000 });
    return { stdout: result.stdout, readMs: performance.now() - started };
  }

  /** Counters only (a few lines of ipvsadm output): parsed here, not on a tick worker. */
  function counterTicks(stdout: string, readMs: number, filters: LiveFilter[]): LiveTick[] {
    const out = splitReadOutput(stdout);
    return buildTicks(
      {
        connections: null,
        format: "proc",
        list: out.get("list") ?? "",
        stats: out.get("stats") ?? "",
        rates: out.get("rates") ?? "",
        readMs,
      },
      filters,
    );
  }

  /** Ticks from the director's summary; undefined when it is missing or not whole. */
  function summaryTicks(stdout: string, readMs: number, filters: LiveFilter[]) {
    const out = splitReadOutput(stdout);
    const text = out.get("summary");
    if (!text) return undefined;
    const summary = parseConnectionSummary(text, filters.length);
    if (summary.errors.length > 0) return undefined;
    return buildTicksFromSummary(
      summary,
      {
        list: out.get("list") ?? "",
        stats: out.get("stats") ?? "",
        rates: out.get("rates") ?? "",
        readMs,
      },
      filters,
    );
  }

  /** Ends a read; a watcher that came during it gets its first tick now. */
  function release(clusterId: string, poller: ClusterPoller) {
    poller.busy = false;
    const again = poller.again && !closed && poller.watchers.size > 0;
    poller.again = false;
    if (again) void tick(clusterId, poller);
  }

  async function tick(clusterId: string, poller: ClusterPoller) {
    if (poller.busy) return; // the previous read is still out: skip rather than pile up
    poller.busy = true;
    poller.again = false;
    // The watchers this read is for: one arriving during it is served by the tick after.
    const watchers = [...poller.watchers];
    const filters = watchers.map((w) => w.filter);
    const table = filters.some(needsConnectionTable);
    if (table && performance.now() < poller.restUntil) {
      // The director is resting after a long table read: the next interval asks again.
      poller.busy = false;
      return;
    }
    try {
      let reading = await readDirector(clusterId, table ? summaryScript(filters) : STATS_SCRIPT);
      if (!reading) throw new Error("the cluster has no director");
      let ticks = table ? summaryTicks(reading.stdout, reading.readMs, filters) : undefined;
      if (table && !ticks) {
        // No usable summary (no awk on the director?): the whole table, parsed here.
        reading = await readDirector(clusterId, READ_SCRIPT);
        if (!reading) throw new Error("the cluster has no director");
        ticks = await builder.build(reading.stdout, reading.readMs, filters);
      }
      ticks ??= counterTicks(reading.stdout, reading.readMs, filters);
      if (table) poller.restUntil = performance.now() + REST_FACTOR * reading.readMs;
      const health = await deps.health
        ?.fromObservation(clusterId, {
          list: readSection(reading.stdout, "list"),
          pidText: readSection(reading.stdout, "keepalived-pid"),
        })
        .catch(() => undefined);
      if (health) for (const t of ticks) t.health = health;
      const first = ticks[0];
      if (first) remember(poller, first);
      watchers.forEach((w, i) => {
        const t = ticks[i];
        if (t && poller.watchers.has(w)) w.send({ type: "tick", tick: t });
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const w of watchers) {
        if (poller.watchers.has(w))
          w.send({ type: "error", message, at: new Date().toISOString() });
      }
    } finally {
      release(clusterId, poller);
    }
  }

  /** One history point for an unwatched cluster; its busy flag keeps samples from piling up. */
  async function sample(clusterId: string, poller: ClusterPoller) {
    if (poller.watchers.size > 0 || poller.busy) return; // the live ticks record it
    poller.busy = true;
    try {
      const reading = await readDirector(clusterId, STATS_SCRIPT);
      const tick = reading && counterTicks(reading.stdout, reading.readMs, [{ limit: 0 }])[0];
      if (tick) remember(poller, tick);
    } catch {
      // Unreachable or untrusted director: a gap in the chart, as while watching.
    } finally {
      release(clusterId, poller);
    }
  }

  /** Starts a sample of every cluster with a director; none waits for another. */
  async function sampleUnwatched() {
    try {
      const directors = await deps.db.director.findMany({ select: { clusterId: true } });
      if (closed) return;
      for (const { clusterId } of directors) void sample(clusterId, pollerOf(clusterId));
    } catch {
      // The database is closing; the next sweep tries again.
    }
  }
  const sampler = deps.statsIntervalMs
    ? setInterval(() => void sampleUnwatched(), deps.statsIntervalMs)
    : undefined;
  sampler?.unref();

  return {
    /** A 404 for a cluster that does not exist, before a stream is opened for it. */
    async requireCluster(clusterId: string): Promise<void> {
      const found = await deps.db.cluster.findUnique({
        where: { id: clusterId },
        select: { id: true },
      });
      if (!found) throw notFound("cluster");
    },
    /** Starts the cluster's poller on the first watcher; stops it after the last leaves. */
    watch(clusterId: string, filter: LiveFilter, send: (e: LiveEvent) => void): () => void {
      const p = pollerOf(clusterId);
      const watcher: Watcher = { filter, send };
      p.watchers.add(watcher);
      if (!p.timer) {
        p.timer = setInterval(() => void tick(clusterId, p), deps.intervalMs);
      }
      // First figures now, not one interval later; or right after the read already out.
      if (p.busy) p.again = true;
      else void tick(clusterId, p);
      return () => {
        p.watchers.delete(watcher);
        if (p.watchers.size === 0 && p.timer) {
          clearInterval(p.timer);
          p.timer = undefined;
        }
      };
    },
    async history(clusterId: string): Promise<HistoryPoint[]> {
      await this.requireCluster(clusterId);
      return pollers.get(clusterId)?.history ?? [];
    },
    async close() {
      closed = true;
      clearInterval(sampler);
      for (const p of pollers.values()) if (p.timer) clearInterval(p.timer);
      pollers.clear();
      await builder.close();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;

function toHistoryPoint(t: LiveTick): HistoryPoint {
  return {
    at: t.at,
    services: t.services.map((s) => ({
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
