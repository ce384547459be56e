// How changes reach the directors: applies by outcome, their durations and the last success per
// cluster (apply-history.ts, from the database, so they survive a restart of the panel), and
// what the drift check last found changed outside the panel (drift/cluster-drift.ts).
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { APPLY_OUTCOMES } from "./apply-history.ts";
import { type ScrapeView, seconds, setState } from "./scrape-view.ts";

/** From a small change's half second to a first apply of a large cluster. */
const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];
const DRIFT_STATES = ["drift", "none", "unknown"] as const;
const DRIFT_KINDS = ["service", "realserver", "weight", "setting"] as const;

export function registerChangeMetrics(registry: Registry, view: () => ScrapeView): void {
  new Counter({
    name: "lvs_panel_applies_total",
    help: "Applies that ended, by outcome (succeeded, failed, rolled_back, interrupted), as recorded in the database",
    labelNames: ["cluster", "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        const applies = v.applies.get(c.id);
        for (const outcome of APPLY_OUTCOMES) {
          this.inc({ cluster: c.name, outcome }, applies?.outcomes[outcome] ?? 0);
        }
      }
    },
  });
  new Gauge({
    name: "lvs_panel_applies_running",
    help: "Applies running now",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) this.set({ cluster: c.name }, v.applies.get(c.id)?.running ?? 0);
    },
  });
  new Histogram({
    name: "lvs_panel_apply_duration_seconds",
    help: "How long applies that ran to an end (succeeded, failed or rolled back) took",
    labelNames: ["cluster"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        // Every cluster has its series, at zero before its first apply.
        this.zero({ cluster: c.name });
        const child = this.labels({ cluster: c.name });
        for (const s of v.applies.get(c.id)?.durations ?? []) child.observe(s);
      }
    },
  });
  new Gauge({
    name: "lvs_panel_apply_last_success_timestamp_seconds",
    help: "When the cluster's last successful apply finished (Unix time); none before the first",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      for (const c of v.clusters) {
        const at = v.applies.get(c.id)?.lastSuccessAt;
        if (at != null) this.set({ cluster: c.name }, seconds(at));
      }
    },
  });

  const eachDrift = (
    visit: (
      cluster: string,
      d: NonNullable<ReturnType<ScrapeView["sources"]["drift"]["latest"]>>,
    ) => void,
  ) => {
    const v = view();
    for (const c of v.clusters) {
      const d = v.sources.drift.latest(c.id);
      if (d) visit(c.name, d);
    }
  };
  new Gauge({
    name: "lvs_panel_drift_state",
    help:
      "The last drift check of the director: drift (changed outside the panel), none, or unknown " +
      "(not readable, nothing applied yet, an apply running), 1 for the current state",
    labelNames: ["cluster", "state"],
    registers: [registry],
    collect() {
      this.reset();
      eachDrift((cluster, d) => setState(this, { cluster }, DRIFT_STATES, d.status));
    },
  });
  new Gauge({
    name: "lvs_panel_drift_changes",
    help: "Changes the last drift check found outside the panel, by kind (service, realserver, weight, setting)",
    labelNames: ["cluster", "kind"],
    registers: [registry],
    collect() {
      this.reset();
      eachDrift((cluster, d) => {
        if (d.status === "unknown") return;
        for (const kind of DRIFT_KINDS) this.set({ cluster, kind }, d.counts[kind]);
      });
    },
  });
  new Gauge({
    name: "lvs_panel_drift_timestamp_seconds",
    help: "When the director was last read for the drift check (Unix time)",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      eachDrift((cluster, d) => {
        if (d.at) this.set({ cluster }, seconds(Date.parse(d.at)));
      });
    },
  });
}
