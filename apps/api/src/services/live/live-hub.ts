// Live view: one poller per watched cluster reads the director once per tick, however many
// browsers watch, and fans the result out filtered per watcher. A slow or unreachable director
// delays only its own cluster's ticks (they never overlap) and shows up as an error event.
// When every watcher asks only for counters (limit 0, no filter: the cluster page), the tick reads
// ipvsadm's listings and not the connection table, which can be tens of MB.
// So the 15-minute charts have data when someone opens them, a cheap sampler reads only the
// counters of every cluster nobody watches, every `statsIntervalMs`; each cluster on its own, so
// a stuck director leaves a gap in its own chart only.
import type { HistoryPoint } from "@lvs-panel/contract";
import { notFound } from "../errors.ts";
import type { ClusterHealthService } from "../health/cluster-health.ts";
import { createDirectorReader, type DirectorReaderDeps } from "./director-read.ts";
import { rememberTick } from "./history-window.ts";
import {
  type ClusterPoller,
  isResting,
  type LiveEvent,
  newPoller,
  noteRead,
  restAfterTableRead,
  type Watcher,
} from "./poller.ts";
import { type LiveFilter, needsConnectionTable } from "./view.ts";

export type { LiveEvent } from "./poller.ts";

export function createLiveHub(
  deps: DirectorReaderDeps & {
    intervalMs: number;
    /** Counters of unwatched clusters, for the charts' history; 0 (the default) turns it off. */
    statsIntervalMs?: number;
    /** Whether this instance samples (one instance of several does: ADR 0008); always if absent. */
    isLeader?: () => boolean;
    historyMinutes?: number;
    /** Judges the realservers' health from each tick's table (keepalived engine). */
    health?: Pick<ClusterHealthService, "fromObservation">;
  },
) {
  const pollers = new Map<string, ClusterPoller>();
  const director = createDirectorReader(deps);
  let closed = false;
  const historyMs = (deps.historyMinutes ?? 15) * 60_000;

  function pollerOf(clusterId: string): ClusterPoller {
    let poller = pollers.get(clusterId);
    if (!poller) {
      poller = newPoller();
      pollers.set(clusterId, poller);
    }
    return poller;
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
    // The watchers this read is for: one arriving during it is served by the tick after.
    const watchers = [...poller.watchers];
    const filters = watchers.map((w) => w.filter);
    const table = filters.some(needsConnectionTable);
    // The director is resting after a long table read: the next interval asks again.
    if (table && isResting(poller)) return;
    poller.busy = true;
    poller.again = false;
    try {
      const { ticks, readMs, observation } = await director.read(clusterId, filters, table);
      if (table) restAfterTableRead(poller, readMs);
      const health = await deps.health
        ?.fromObservation(clusterId, observation)
        .catch(() => undefined);
      if (health) for (const t of ticks) t.health = health;
      const first = ticks[0];
      if (first) rememberTick(poller.history, first, historyMs, deps.intervalMs);
      noteRead(poller, { tick: first, hostId: observation.hostId });
      watchers.forEach((w, i) => {
        const t = ticks[i];
        if (t && poller.watchers.has(w)) w.send({ type: "tick", tick: t });
      });
    } catch (err) {
      noteRead(poller, undefined);
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
      const { ticks, observation } = await director.read(clusterId, [{ limit: 0 }], false);
      const [point] = ticks;
      if (point) rememberTick(poller.history, point, historyMs, deps.intervalMs);
      noteRead(poller, { tick: point, hostId: observation.hostId });
      // The sample read keepalived's table and pid anyway: the verdicts stay current (overview,
      // /metrics) while nobody watches, at no cost to the director.
      await deps.health?.fromObservation(clusterId, observation).catch(() => undefined);
    } catch {
      // Unreachable or untrusted director: a gap in the chart, as while watching.
      noteRead(poller, undefined);
    } finally {
      release(clusterId, poller);
    }
  }

  /** Starts a sample of every cluster with a director; none waits for another. */
  async function sampleUnwatched() {
    if (deps.isLeader && !deps.isLeader()) return;
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
    /** How the cluster's director last answered, and its figures then; reads nothing. */
    lastReading(clusterId: string): Pick<ClusterPoller, "counters" | "lastRead"> | undefined {
      const p = pollers.get(clusterId);
      return p && { counters: p.counters, lastRead: p.lastRead };
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
      await director.close();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
