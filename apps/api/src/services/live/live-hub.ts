// Live view: one poller per watched cluster reads the director once per tick, however many
// browsers watch, and fans the result out filtered per watcher. A slow or unreachable director
// delays only its own cluster's ticks (they never overlap) and shows up as an error event.
// So the 15-minute charts have data when someone opens them, a cheap sampler reads only the
// counters (no connection table) of every cluster nobody watches, every `statsIntervalMs`.
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { renderReadScript, splitReadOutput } from "../apply/read-state.ts";
import type { TargetResolver } from "../host-targets.ts";
import { createTickBuilder } from "./tick-builder.ts";
import { buildTicks, type DirectorReading, type LiveFilter, type LiveTick } from "./view.ts";

export interface HistoryPoint {
  at: string;
  services: {
    key: string;
    activeConns?: number | undefined;
    inactiveConns?: number | undefined;
    rates: Record<string, number>;
    realservers: {
      key: string;
      activeConns?: number | undefined;
      inactiveConns?: number | undefined;
      rates: Record<string, number>;
    }[];
  }[];
}

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
  busy: boolean;
  history: HistoryPoint[];
}

const READS = [
  { id: "conn", argv: ["cat", "/proc/net/ip_vs_conn"] },
  { id: "list", argv: ["ipvsadm", "-Ln"] },
  { id: "stats", argv: ["ipvsadm", "-Ln", "--stats", "--exact"] },
  { id: "rates", argv: ["ipvsadm", "-Ln", "--rate", "--exact"] },
];
const READ_SCRIPT = renderReadScript(READS);
const STATS_SCRIPT = renderReadScript(READS.filter((r) => r.id !== "conn"));

export function createLiveHub(deps: {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  intervalMs: number;
  /** Counters of unwatched clusters, for the charts' history; 0 (the default) turns it off. */
  statsIntervalMs?: number;
  historyMinutes?: number;
}) {
  const pollers = new Map<string, ClusterPoller>();
  const builder = createTickBuilder();
  const historyMs = (deps.historyMinutes ?? 15) * 60_000;
  const historyPoints = Math.ceil(historyMs / deps.intervalMs);

  function pollerOf(clusterId: string): ClusterPoller {
    let poller = pollers.get(clusterId);
    if (!poller) {
      poller = { watchers: new Set(), timer: undefined, busy: false, history: [] };
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

  /** The read script's raw output; the tick builder splits and parses it off the main thread. */
  async function readDirector(clusterId: string): Promise<{ stdout: string; readMs: number }> {
    const director = await deps.db.director.findUnique({ where: { clusterId } });
    if (!director) throw new Error("the cluster has no director");
    const runner = deps.pool.runner(await deps.targets.target(director.hostId));
    const started = performance.now();
    const result = await runner.run({ script: READ_SCRIPT }, { timeoutMs: 10_000 });
    return { stdout: result.stdout, readMs: performance.now() - started };
  }

  async function tick(clusterId: string, poller: ClusterPoller) {
    if (poller.busy) return; // the previous read is still out: skip rather than pile up
    poller.busy = true;
    try {
      const reading = await readDirector(clusterId);
      const watchers = [...poller.watchers];
      const ticks = await builder.build(
        reading.stdout,
        reading.readMs,
        watchers.map((w) => w.filter),
      );
      const first = ticks[0];
      if (first) remember(poller, first);
      watchers.forEach((w, i) => {
        const t = ticks[i];
        if (t) w.send({ type: "tick", tick: t });
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const w of poller.watchers)
        w.send({ type: "error", message, at: new Date().toISOString() });
    } finally {
      poller.busy = false;
    }
  }

  /** Counters only (a few lines of ipvsadm output): parsed here, not on the tick worker. */
  async function sample(clusterId: string): Promise<LiveTick | undefined> {
    const director = await deps.db.director.findUnique({ where: { clusterId } });
    if (!director) return undefined;
    const runner = deps.pool.runner(await deps.targets.target(director.hostId));
    const started = performance.now();
    const result = await runner.run({ script: STATS_SCRIPT }, { timeoutMs: 10_000 });
    const out = splitReadOutput(result.stdout);
    const reading: DirectorReading = {
      connections: "",
      format: "proc",
      list: out.get("list") ?? "",
      stats: out.get("stats") ?? "",
      rates: out.get("rates") ?? "",
      readMs: performance.now() - started,
    };
    return buildTicks(reading, [{ limit: 0 }])[0];
  }

  /** One history point for each cluster with a director that nobody is watching. */
  let sampling = false;
  async function sampleUnwatched() {
    if (sampling) return; // a slow director must not make sweeps pile up
    sampling = true;
    try {
      const directors = await deps.db.director.findMany({ select: { clusterId: true } });
      await Promise.all(
        directors.map(async ({ clusterId }) => {
          const poller = pollerOf(clusterId);
          if (poller.watchers.size > 0 || poller.busy) return; // the live ticks record it
          poller.busy = true;
          try {
            const tick = await sample(clusterId);
            if (tick) remember(poller, tick);
          } catch {
            // Unreachable or untrusted director: a gap in the chart, as while watching.
          } finally {
            poller.busy = false;
          }
        }),
      );
    } catch {
      // The database is closing; the next sweep tries again.
    } finally {
      sampling = false;
    }
  }
  const sampler = deps.statsIntervalMs
    ? setInterval(() => void sampleUnwatched(), deps.statsIntervalMs)
    : undefined;
  sampler?.unref();

  return {
    /** Starts the cluster's poller on the first watcher; stops it after the last leaves. */
    watch(clusterId: string, filter: LiveFilter, send: (e: LiveEvent) => void): () => void {
      const p = pollerOf(clusterId);
      const watcher: Watcher = { filter, send };
      p.watchers.add(watcher);
      if (!p.timer) {
        p.timer = setInterval(() => void tick(clusterId, p), deps.intervalMs);
      }
      void tick(clusterId, p); // first figures now, not one interval later
      return () => {
        p.watchers.delete(watcher);
        if (p.watchers.size === 0 && p.timer) {
          clearInterval(p.timer);
          p.timer = undefined;
        }
      };
    },
    history(clusterId: string): HistoryPoint[] {
      return pollers.get(clusterId)?.history ?? [];
    },
    async close() {
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
