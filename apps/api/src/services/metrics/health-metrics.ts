// keepalived's verdicts on a cluster's realservers (up: passing its checks; down: failed them,
// quiesced at weight 0 or removed from the table; unknown: the panel cannot tell) and whether
// keepalived runs on the director: the verdicts the live view and its sampler last judged from
// the table they read anyway (health/cluster-health.ts). Clusters on the ipvsadm engine have no
// checks, so no verdicts.
import { formatEndpoint } from "@lvs-panel/lvs";
import { Gauge, type Registry } from "prom-client";
import { isFresh, type ScrapeView, seconds, setState } from "./scrape-view.ts";

const REALSERVER_STATES = ["up", "down", "unknown"] as const;
const KEEPALIVED_STATES = ["running", "stopped", "unreachable"] as const;

/** The cluster's last verdicts, when it runs keepalived and they are recent. */
function verdictsOf(view: ScrapeView, clusterId: string, engine: string) {
  if (engine !== "keepalived") return undefined;
  const health = view.sources.clusterHealth.lastKnown(clusterId);
  if (health?.engine !== "keepalived" || !isFresh(view, health.at)) return undefined;
  return health;
}

export function registerHealthMetrics(registry: Registry, view: () => ScrapeView): void {
  new Gauge({
    name: "lvs_panel_realserver_health",
    help:
      "keepalived's verdict on the realserver, one series per state (up, down, unknown), 1 for " +
      "the current one: down covers a realserver quiesced at weight 0 and one removed from the table",
    labelNames: ["cluster", "service", "realserver", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        const health = verdictsOf(v, c.id, c.engine);
        if (!health) continue;
        const serviceLabel = new Map(c.services.map((s) => [s.id, s.label]));
        for (const rs of health.realservers) {
          const service = serviceLabel.get(rs.serviceId);
          if (!service) continue; // deleted since the verdict
          const labels = {
            cluster: c.name,
            service,
            realserver: formatEndpoint(rs.address, rs.port),
          };
          setState(this, labels, REALSERVER_STATES, rs.state);
        }
      }
    },
  });
  new Gauge({
    name: "lvs_panel_director_keepalived_state",
    help: "Whether keepalived runs on the director (running, stopped, unreachable), 1 for the current state",
    labelNames: ["cluster", "director", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        const health = verdictsOf(v, c.id, c.engine);
        if (!health) continue;
        const names = new Map(c.directors.map((d) => [d.hostId, d.name]));
        for (const d of health.directors) {
          const director = names.get(d.hostId);
          if (director) setState(this, { cluster: c.name, director }, KEEPALIVED_STATES, d.state);
        }
      }
    },
  });
  new Gauge({
    name: "lvs_panel_health_timestamp_seconds",
    help: "When keepalived's verdicts on the cluster were last judged (Unix time); none older than 5 minutes are exported",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        const health = verdictsOf(v, c.id, c.engine);
        if (health) this.set({ cluster: c.name }, seconds(Date.parse(health.at)));
      }
    },
  });
}
