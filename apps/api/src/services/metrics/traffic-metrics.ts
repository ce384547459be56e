// Per service and realserver: the connections, packets and bytes the kernel counts, and the
// weights, from the last reading the live view or its sampler took of each director (no read of
// its own). The kernel's counters are cumulative, so they are counters here too; a director that
// restarts starts them again from zero, which rate() takes as a reset. Only the cluster's own
// services count (another cluster may share the director), and no connection row is read.
import { Counter, Gauge, type Registry } from "prom-client";
import { isFresh, type ScrapeView, seconds } from "./scrape-view.ts";

type Labels = { cluster: string; service: string; realserver?: string };

interface TrafficRow {
  labels: Labels;
  active: number | undefined;
  inactive: number | undefined;
  weight: number | undefined;
  /** ipvsadm --stats --exact: Conns, InPkts, OutPkts, InBytes, OutBytes. */
  stats: Record<string, number>;
}

interface Traffic {
  services: TrafficRow[];
  realservers: TrafficRow[];
  sampled: { cluster: string; at: number }[];
  configured: { labels: Required<Labels>; weight: number }[];
}

const cache = new WeakMap<ScrapeView, Traffic>();

/** The join of the inventory with the last readings; once per scrape whatever asks. */
function trafficOf(view: ScrapeView): Traffic {
  const known = cache.get(view);
  if (known) return known;
  const traffic: Traffic = { services: [], realservers: [], sampled: [], configured: [] };
  for (const c of view.clusters) {
    for (const s of c.services) {
      for (const rs of s.realservers) {
        traffic.configured.push({
          labels: { cluster: c.name, service: s.label, realserver: rs.label },
          weight: rs.weight,
        });
      }
    }
    const counters = view.sources.live.lastReading(c.id)?.counters;
    if (!counters || !isFresh(view, counters.at)) continue;
    traffic.sampled.push({ cluster: c.name, at: Date.parse(counters.at) });
    const listed = new Map(counters.services.map((s) => [s.key, s]));
    for (const s of c.services) {
      const live = listed.get(s.label);
      if (!live) continue;
      const labels = { cluster: c.name, service: s.label };
      traffic.services.push({
        labels,
        active: live.activeConns,
        inactive: live.inactiveConns,
        weight: undefined,
        stats: live.stats,
      });
      for (const rs of live.realservers) {
        traffic.realservers.push({
          labels: { ...labels, realserver: rs.key },
          active: rs.activeConns,
          inactive: rs.inactiveConns,
          weight: rs.weight,
          stats: rs.stats,
        });
      }
    }
  }
  cache.set(view, traffic);
  return traffic;
}

export function registerTrafficMetrics(registry: Registry, view: () => ScrapeView): void {
  for (const level of ["service", "realserver"] as const) {
    const labelNames =
      level === "service" ? ["cluster", "service"] : ["cluster", "service", "realserver"];
    const rows = () => trafficOf(view())[level === "service" ? "services" : "realservers"];
    const whose = level === "service" ? "the service (all its realservers)" : "the realserver";
    const gauge = (name: string, help: string, pick: (r: TrafficRow) => number | undefined) =>
      new Gauge({
        name: `lvs_panel_${level}_${name}`,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const r of rows()) {
            const v = pick(r);
            if (v !== undefined) this.set(r.labels, v);
          }
        },
      });
    const counter = (name: string, help: string, keys: Record<string, string>) =>
      new Counter({
        name: `lvs_panel_${level}_${name}_total`,
        help,
        labelNames: Object.keys(keys).length > 1 ? [...labelNames, "direction"] : labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const r of rows()) {
            for (const [direction, key] of Object.entries(keys)) {
              const v = r.stats[key];
              if (v === undefined) continue;
              this.inc(direction === "" ? r.labels : { ...r.labels, direction }, v);
            }
          }
        },
      });
    gauge(
      "active_connections",
      `ActiveConn of ${whose} on the director (ipvsadm -Ln), as last read`,
      (r) => r.active,
    );
    gauge(
      "inactive_connections",
      `InActConn of ${whose} on the director (ipvsadm -Ln), as last read`,
      (r) => r.inactive,
    );
    counter("connections", `Connections the kernel sent to ${whose} (ipvsadm --stats Conns)`, {
      "": "Conns",
    });
    counter(
      "packets",
      `Packets of ${whose}, in (from clients) and out (replies through the director)`,
      { in: "InPkts", out: "OutPkts" },
    );
    counter(
      "bytes",
      `Bytes of ${whose}, in (from clients) and out (replies through the director)`,
      {
        in: "InBytes",
        out: "OutBytes",
      },
    );
  }
  new Gauge({
    name: "lvs_panel_realserver_weight",
    help: "The weight the director holds for the realserver (0: drained, quiesced or disabled), as last read",
    labelNames: ["cluster", "service", "realserver"],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of trafficOf(view()).realservers) {
        if (r.weight !== undefined) this.set(r.labels, r.weight);
      }
    },
  });
  new Gauge({
    name: "lvs_panel_realserver_configured_weight",
    help: "The realserver's weight as configured in the panel (kept while it is drained or disabled)",
    labelNames: ["cluster", "service", "realserver"],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of trafficOf(view()).configured) this.set(r.labels, r.weight);
    },
  });
  new Gauge({
    name: "lvs_panel_counters_timestamp_seconds",
    help: "When the director's counters were last read (Unix time); none older than 5 minutes are exported",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of trafficOf(view()).sampled) this.set({ cluster: s.cluster }, seconds(s.at));
    },
  });
}
