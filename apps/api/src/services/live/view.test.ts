// The live view's per-watcher filtering and counts, on the real captured tables.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTicks, type DirectorReading, needsConnectionTable } from "./view.ts";

const fixtures = path.resolve(import.meta.dirname, "../../../../../../shared/fixtures/ipvsadm");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

const table = fixture("mixed-proc-ip_vs_conn.txt");
const reading: DirectorReading = {
  connections: table,
  format: "proc",
  list: fixture("mixed-Ln.txt"),
  stats: fixture("mixed-Ln-exact-stats.txt"),
  rates: fixture("mixed-Ln-rate.txt"),
  readMs: 12,
};
// Independent count from the raw text: lines whose virtual side is C0A84D64:1F90 (…100:8080).
const procLines = table.trim().split("\n").slice(1);
const to8080 = procLines.filter((l) => l.split(/\s+/).slice(3, 5).join(":") === "C0A84D64:1F90");

describe("buildTicks", () => {
  it("filters and limits per watcher in one pass; counts always cover the whole table", () => {
    const [all, svc, fin, rs] = buildTicks(reading, [
      { limit: 5 },
      { limit: 1000, service: "TCP 192.168.77.100:8080", templates: true },
      { limit: 1000, state: "FIN_WAIT" },
      { limit: 1000, realserver: "10.10.0.13:80" },
    ]);
    expect(all?.totals?.entries).toBe(procLines.length);
    expect(all?.rows).toHaveLength(5);
    expect(all?.truncated).toBe(true);
    // Templates (client port 0) are left out unless asked for.
    expect(all?.matched).toBe(procLines.length - 1);

    expect(svc?.matched).toBe(to8080.length);
    expect(svc?.rows.every((r) => r.virtual === "192.168.77.100:8080")).toBe(true);
    expect(svc?.rows.some((r) => r.template)).toBe(true);

    const finLines = procLines.filter((l) => l.includes(" FIN_WAIT "));
    expect(fin?.matched).toBe(finLines.length);
    expect(fin?.rows.every((r) => r.state === "FIN_WAIT" && r.virtual === "10.10.0.200:80")).toBe(
      true,
    );

    const rs13 = procLines.filter((l) => l.split(/\s+/).slice(5, 7).join(":") === "0A0A000D:0050");
    expect(rs?.matched).toBe(rs13.length);
  });

  it("joins -Ln, --stats and --rate per service and realserver", () => {
    const [tick] = buildTicks(reading, [{ limit: 1 }]);
    const web = tick?.services.find((s) => s.key === "TCP 192.168.77.100:80");
    expect(web?.inactiveConns).toBe(13 + 13 + 14);
    expect(web?.stats.Conns).toBe(40);
    expect(web?.rates.CPS).toBe(3);
    const rs = web?.realservers.find((r) => r.key === "10.10.0.13:80");
    expect(rs).toMatchObject({ weight: 1, inactiveConns: 14 });
    expect(rs?.stats.InPkts).toBe(86);
    expect(rs?.rates.OutBPS).toBe(490);
    expect(tick?.services.map((s) => s.key)).toContain("FWM 7");
    expect(tick?.services.map((s) => s.key)).toContain("TCP [fd00::200]:80");
  });

  it("without a connection table: the same counters, and no totals or matched to misread", () => {
    const filters = [{ limit: 0 }, { limit: 0, templates: true }];
    const full = buildTicks(reading, filters);
    const counters = buildTicks({ ...reading, connections: null }, filters);
    expect(counters).toHaveLength(2);
    for (const [i, t] of counters.entries()) {
      expect(t.services).toEqual(full[i]?.services);
      expect(t.rows).toEqual([]);
      expect(t.truncated).toBe(false);
      expect(t.parseErrors).toBe(0);
      expect(t.readMs).toBe(12);
      // Absent, not zero: zero entries would say the director is idle.
      expect(t).not.toHaveProperty("totals");
      expect(t).not.toHaveProperty("matched");
      expect(JSON.parse(JSON.stringify(t))).not.toHaveProperty("totals");
    }
  });

  it("needs the table for rows, or for a filtered count; not for bare counters", () => {
    expect(needsConnectionTable({ limit: 0 })).toBe(false);
    expect(needsConnectionTable({ limit: 0, templates: true })).toBe(false);
    expect(needsConnectionTable({ limit: 0, service: "  " })).toBe(false);
    expect(needsConnectionTable({ limit: 1 })).toBe(true);
    expect(needsConnectionTable({ limit: 0, service: "TCP 10.0.0.1:80" })).toBe(true);
    expect(needsConnectionTable({ limit: 0, realserver: "10.10.0.13:80" })).toBe(true);
    expect(needsConnectionTable({ limit: 0, state: "FIN_WAIT" })).toBe(true);
    expect(needsConnectionTable({ limit: 0, client: "192.168." })).toBe(true);
  });
});
