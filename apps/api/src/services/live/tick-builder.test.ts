// The worker thread builds exactly the ticks the in-process code builds, from the read script's
// raw output, and reports a director without IPVS as an error rather than an empty table.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MARKER } from "../apply/batch.ts";
import { createTickBuilder, type TickBuilder } from "./tick-builder.ts";
import { buildTicks, type LiveFilter } from "./view.ts";

const fixtures = path.resolve(import.meta.dirname, "../../../../../../shared/fixtures/ipvsadm");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

/** What the director's read script prints: each read between markers, with its exit code. */
function scriptOutput(reads: Record<string, string | null>): string {
  return Object.entries(reads)
    .map(
      ([id, out]) => `\n${MARKER} read ${id}\n${out ?? ""}\n${MARKER} rc ${out === null ? 1 : 0}\n`,
    )
    .join("");
}

let builder: TickBuilder | undefined;
afterEach(async () => builder?.close());

describe("tick builder (worker thread)", () => {
  const reads = {
    conn: fixture("mixed-proc-ip_vs_conn.txt"),
    list: fixture("mixed-Ln.txt"),
    stats: fixture("mixed-Ln-exact-stats.txt"),
    rates: fixture("mixed-Ln-rate.txt"),
  };
  const filters: LiveFilter[] = [{ limit: 3 }, { limit: 100, state: "FIN_WAIT" }];

  it("builds the same ticks as the in-process code", async () => {
    builder = createTickBuilder();
    const ticks = await builder.build(scriptOutput(reads), 7, filters);
    const expected = buildTicks(
      {
        connections: reads.conn,
        format: "proc",
        list: reads.list,
        stats: reads.stats,
        rates: reads.rates,
        readMs: 7,
      },
      filters,
    );
    const withoutTiming = (t: typeof ticks) => t.map(({ at: _a, processMs: _p, ...rest }) => rest);
    expect(ticks).toHaveLength(2);
    expect(ticks[0]?.totals.entries).toBeGreaterThan(3);
    expect(ticks[0]?.rows).toHaveLength(3);
    expect(withoutTiming(ticks)).toEqual(withoutTiming(expected));
  });

  it("says so when the director has no connection table, and keeps working after", async () => {
    builder = createTickBuilder();
    await expect(builder.build(scriptOutput({ ...reads, conn: null }), 1, filters)).rejects.toThrow(
      /ip_vs_conn/,
    );
    const ticks = await builder.build(scriptOutput(reads), 1, [{ limit: 1 }]);
    expect(ticks[0]?.rows).toHaveLength(1);
  });

  it("runs jobs from several clusters concurrently without mixing them up", async () => {
    builder = createTickBuilder();
    const [a, b] = await Promise.all([
      builder.build(scriptOutput(reads), 1, [{ limit: 1 }]),
      builder.build(scriptOutput(reads), 2, [{ limit: 2 }, { limit: 4 }]),
    ]);
    expect(a.map((t) => t.rows.length)).toEqual([1]);
    expect(b.map((t) => t.rows.length)).toEqual([2, 4]);
    expect(b[0]?.readMs).toBe(2);
  });
});
