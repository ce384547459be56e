// Per director: can the panel reach it, and its VRRP state. Reachability is the latest of what
// the panel already learnt without a scrape asking anything: the overview's SSH probe of the
// host (host-health.ts) and, for the director the live view reads (a pair's MASTER), how its
// last reading went (every LVS_PANEL_STATS_INTERVAL_MS, by default, while nobody watches).
import { Gauge, type Registry } from "prom-client";
import { directorVrrpStates, VRRP_STATES } from "./director-vrrp.ts";
import type { InventoryCluster, InventoryDirector } from "./inventory.ts";
import { isFresh, type ScrapeView, seconds, setState } from "./scrape-view.ts";

interface Reachability {
  reachable: boolean;
  /** When it was learnt (ms); null for a host never contacted because its key is not trusted. */
  at: number | null;
}

function reachabilityOf(
  view: ScrapeView,
  cluster: InventoryCluster,
  director: InventoryDirector,
  first: boolean,
): Reachability | null {
  // A host whose key nobody confirmed is never contacted: the panel cannot reach it.
  if (director.version === null) return { reachable: false, at: null };
  const seen: Reachability[] = [];
  const probe = view.sources.hostHealth.get({ id: director.hostId, version: director.version });
  if (probe.reachable !== null && probe.checkedAt) {
    seen.push({ reachable: probe.reachable, at: Date.parse(probe.checkedAt) });
  }
  const read = view.sources.live.lastReading(cluster.id)?.lastRead;
  // A read that never learnt its director's id is the first director's (none known as MASTER).
  if (read && (read.hostId ?? (first ? director.hostId : null)) === director.hostId) {
    seen.push({ reachable: read.ok, at: Date.parse(read.at) });
  }
  const latest = seen.sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0];
  return latest && isFresh(view, latest.at) ? latest : null;
}

export function registerDirectorMetrics(registry: Registry, view: () => ScrapeView): void {
  const each = (
    visit: (labels: { cluster: string; director: string }, r: Reachability) => void,
  ): void => {
    const v = view();
    for (const c of v.clusters) {
      c.directors.forEach((d, i) => {
        const r = reachabilityOf(v, c, d, i === 0);
        if (r) visit({ cluster: c.name, director: d.name }, r);
      });
    }
  };
  new Gauge({
    name: "lvs_panel_director_reachable",
    help:
      "1 when the panel last reached the director over SSH (its probe, or the live view's last " +
      "reading), 0 when it could not or the host key is not trusted; none when not known in the last 5 minutes",
    labelNames: ["cluster", "director"],
    registers: [registry],
    collect() {
      this.reset();
      each((labels, r) => this.set(labels, r.reachable ? 1 : 0));
    },
  });
  new Gauge({
    name: "lvs_panel_director_reachability_timestamp_seconds",
    help: "When the director's reachability was last learnt (Unix time)",
    labelNames: ["cluster", "director"],
    registers: [registry],
    collect() {
      this.reset();
      each((labels, r) => {
        if (r.at !== null) this.set(labels, seconds(r.at));
      });
    },
  });
  new Gauge({
    name: "lvs_panel_director_vrrp_state",
    help:
      "The director's VRRP state as last read (MASTER, BACKUP, FAULT, INIT, STOPPED: keepalived " +
      "not running), 1 for the current one; only for VRRP pairs, none when not read in the last 5 minutes",
    labelNames: ["cluster", "director", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      const byId = new Map(v.clusters.map((c) => [c.id, c]));
      for (const s of directorVrrpStates(v.sources.clusterHealth, byId.keys())) {
        const c = byId.get(s.clusterId);
        const director = c?.directors.find((d) => d.hostId === s.hostId);
        if (c && director && isFresh(v, s.readAt)) {
          setState(this, { cluster: c.name, director: director.name }, VRRP_STATES, s.state);
        }
      }
    },
  });
}
