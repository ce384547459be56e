// What docs/monitoring ships must work against what /metrics says: the Grafana dashboard and the
// alert rules use only metrics a real app exposes, their PromQL parses, and the alert rules pass
// their own promtool unit tests (alerts.test.yml, synthetic series through every alert).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/app-fixture.ts";
import { describedSeries } from "../../../test/exposition.ts";
import { itWithPromtool, promtool } from "../../../test/promtool.ts";

const docs = path.resolve(import.meta.dirname, "../../../../../docs/monitoring");
const TOKEN = "t".repeat(40);

let t: TestApp;
let exposed: Set<string>;
let scratch: string;

beforeAll(async () => {
  t = await startTestApp({ metrics: { enabled: true, token: TOKEN } });
  const res = await t.app.inject({
    method: "GET",
    url: "/metrics",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  exposed = describedSeries(res.body);
  scratch = mkdtempSync(path.join(tmpdir(), "lvs-monitoring-docs-"));
});
afterAll(async () => {
  await t?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const METRIC = /\b(?:lvs_panel|process|nodejs)_[a-z0-9_]+\b/g;

interface DashboardPanel {
  id: number;
  title: string;
  targets?: { expr: string }[];
  panels?: DashboardPanel[];
}

function dashboard() {
  return JSON.parse(readFileSync(path.join(docs, "grafana-dashboard.json"), "utf8")) as {
    uid: string;
    panels: DashboardPanel[];
    templating: { list: { query?: string | { query: string } }[] };
  };
}

/** Every PromQL expression of the dashboard: its panels' and its variables'. */
function dashboardExpressions(): string[] {
  const d = dashboard();
  const panels = d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const queries = d.templating.list
    .map((v) => (typeof v.query === "object" ? v.query.query : undefined))
    .filter((q): q is string => q !== undefined);
  return [...panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr)), ...queries];
}

describe("the Grafana dashboard", () => {
  it("is JSON with one id per panel and a query on every panel but the rows", () => {
    const d = dashboard();
    expect(d.uid).toBe("lvs-panel");
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const empty = d.panels.filter((p) => !p.targets?.length && !("collapsed" in p));
    expect(empty.map((p) => p.title)).toEqual([]);
  });

  it("queries only metrics that /metrics exposes", () => {
    const used = new Set(dashboardExpressions().flatMap((e) => e.match(METRIC) ?? []));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  itWithPromtool("is valid PromQL (Grafana's variables put in)", () => {
    const rules = dashboardExpressions()
      .filter((e) => !e.startsWith("label_values("))
      .map((e, i) => {
        const expr = e
          .replaceAll("$__rate_interval", "1m")
          .replaceAll("$__range", "1h")
          .replace(/\$\w+/g, ".*");
        return `      - record: dashboard:expr_${i}\n        expr: ${JSON.stringify(expr)}`;
      });
    const file = path.join(scratch, "dashboard-rules.yml");
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`);
    const run = promtool(["check", "rules", file]);
    expect(run.status, run.output).toBe(0);
  });
});

describe("the alert rules", () => {
  it("use only metrics that /metrics exposes", () => {
    const text = readFileSync(path.join(docs, "alerts.yml"), "utf8");
    const used = new Set(text.match(METRIC) ?? []);
    expect(used.size).toBeGreaterThan(4);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  itWithPromtool("pass `promtool check rules`", () => {
    const run = promtool(["check", "rules", path.join(docs, "alerts.yml")]);
    expect(run.status, run.output).toBe(0);
  });

  itWithPromtool("pass their unit tests (`promtool test rules alerts.test.yml`)", () => {
    const run = promtool(["test", "rules", path.join(docs, "alerts.test.yml")]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain("SUCCESS");
  });
});
