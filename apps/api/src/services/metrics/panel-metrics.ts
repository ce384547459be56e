// The panel's Prometheus metrics (GET /metrics): one registry per app, whose collectors read, at
// each scrape, what the panel already holds — a few small queries of the database (inventory,
// applies' statuses) and the in-memory state of the live view, health, host probes, drift checks
// and SSH pool. A scrape never opens an SSH connection or runs anything on a director. Names and
// labels: docs/monitoring.
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { createApplyHistory } from "./apply-history.ts";
import { registerChangeMetrics } from "./change-metrics.ts";
import { registerDirectorMetrics } from "./director-metrics.ts";
import { registerHealthMetrics } from "./health-metrics.ts";
import { readInventory } from "./inventory.ts";
import type { MetricSources, ScrapeView } from "./scrape-view.ts";
import { registerTrafficMetrics } from "./traffic-metrics.ts";

export type { MetricSources } from "./scrape-view.ts";

const REDUNDANT_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export function createPanelMetrics(sources: MetricSources) {
  const registry = new Registry();
  // process_* (CPU, memory, open files, start time) and nodejs_* (event loop lag, heap, GC).
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters (promtool refuses them); nodejs_active_{handles,requests,resources}
  // say the same by type.
  for (const name of REDUNDANT_DEFAULTS) registry.removeSingleMetric(name);
  const history = createApplyHistory(sources.db);
  let current: ScrapeView | undefined;
  const view = (): ScrapeView => {
    if (!current) throw new Error("metrics are collected only during a scrape");
    return current;
  };

  new Gauge({
    name: "lvs_panel_cluster_info",
    help: "One series per cluster, with its engine (ipvsadm or keepalived)",
    labelNames: ["cluster", "engine"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of view().clusters) this.set({ cluster: c.name, engine: c.engine }, 1);
    },
  });
  registerTrafficMetrics(registry, view);
  registerHealthMetrics(registry, view);
  registerDirectorMetrics(registry, view);
  registerChangeMetrics(registry, view);
  registerSshMetrics(registry, sources);

  /** Reads the database, then lets every collector run against that one view. */
  async function scrapeOnce(): Promise<string> {
    const clusters = await readInventory(sources.db);
    const applies = await history.read();
    current = { now: (sources.now ?? Date.now)(), clusters, applies, sources };
    try {
      return await registry.metrics();
    } finally {
      current = undefined;
    }
  }

  let inFlight: Promise<string> | undefined;
  return {
    contentType: registry.contentType,
    /** The exposition text; scrapes that arrive while one runs share its answer. */
    scrape(): Promise<string> {
      inFlight ??= scrapeOnce().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

export type PanelMetrics = ReturnType<typeof createPanelMetrics>;

function registerSshMetrics(registry: Registry, sources: MetricSources): void {
  new Gauge({
    name: "lvs_panel_ssh_pool_connections",
    help: "SSH connections the panel holds open (or is opening) to directors, realservers and jump hosts",
    registers: [registry],
    collect() {
      this.set(sources.ssh.stats().connections);
    },
  });
  new Counter({
    name: "lvs_panel_ssh_connects_total",
    help: "SSH connections the panel attempted since it started",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.ssh.stats().connects);
    },
  });
  for (const [name, help, pick] of [
    [
      "connect_failures",
      "SSH connections that failed since the panel started, by reason (the SSH layer's error code)",
      "connectFailures",
    ],
    [
      "command_failures",
      "Commands that failed in the SSH layer once connected (timeout, lost connection…), by reason",
      "commandFailures",
    ],
  ] as const) {
    new Counter({
      name: `lvs_panel_ssh_${name}_total`,
      help,
      labelNames: ["reason"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(sources.ssh.stats()[pick])) {
          this.inc({ reason }, n);
        }
      },
    });
  }
}
