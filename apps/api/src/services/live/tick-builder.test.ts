// The worker threads build exactly the ticks the in-process code builds, from the read script's
// raw output, and report a director without IPVS as an error rather than an empty table. A job
// that runs too long or too big loses its worker, not the process; a slow job of one cluster does
// not hold up another's; a pool that cannot start backs off; a closed one takes no more jobs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { generateProc } from "@lvs-panel/lvs/bench/generate";
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
    expect(ticks[0]?.totals?.entries).toBeGreaterThan(3);
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

  /** What a director with `entries` connections sends; big enough to take a worker a while. */
  const bigOutput = (entries: number) =>
    scriptOutput({ ...reads, conn: generateProc(entries).join("") });

  it("stops a job that runs too long, says so, and builds the next one on a new worker", async () => {
    builder = createTickBuilder({ jobTimeoutMs: 150 });
    await builder.build(scriptOutput(reads), 1, [{ limit: 1 }]); // started and warm
    const big = bigOutput(400_000);
    const started = performance.now();
    await expect(builder.build(big, 1, [{ limit: 10 }])).rejects.toThrow(
      /longer than 0\.15 s; its worker was stopped/,
    );
    // Failed on time, not when the job would have ended (~0.5 s or more for 400,000 entries).
    expect(performance.now() - started).toBeLessThan(400);
    const ticks = await builder.build(scriptOutput(reads), 1, [{ limit: 2 }]);
    expect(ticks[0]?.rows).toHaveLength(2);
  });

  it("a job too big for the worker's memory kills the worker, not the process", async () => {
    // 200 watchers × 5,000 rows: a million row objects, far past a 32 MB heap. (V8 stops a
    // worker that grows past its limit; one single huge allocation would abort the process.)
    builder = createTickBuilder({ maxMemoryMb: 32 });
    const watchers = Array.from({ length: 200 }, () => ({ limit: 5000 }));
    await expect(builder.build(bigOutput(20_000), 1, watchers)).rejects.toThrow(
      /ran out of memory \(worker limit 32 MB\); its worker was stopped/,
    );
    const ticks = await builder.build(scriptOutput(reads), 1, [{ limit: 1 }]);
    expect(ticks[0]?.rows).toHaveLength(1);
  });

  it("a slow job of one cluster does not hold up another's", async () => {
    builder = createTickBuilder(); // two workers
    await Promise.all([
      builder.build(scriptOutput(reads), 1, [{ limit: 1 }]),
      builder.build(scriptOutput(reads), 1, [{ limit: 1 }]),
    ]); // both started
    const big = bigOutput(400_000);
    const small = scriptOutput(reads);
    const started = performance.now();
    let bigMs = 0;
    let smallMs = 0;
    const slow = builder.build(big, 1, [{ limit: 10 }]).then((t) => {
      bigMs = performance.now() - started;
      return t;
    });
    const fast = builder.build(small, 1, [{ limit: 1 }]).then((t) => {
      smallMs = performance.now() - started;
      return t;
    });
    const [slowTicks, fastTicks] = await Promise.all([slow, fast]);
    expect(slowTicks[0]?.totals?.entries).toBe(400_000);
    expect(fastTicks[0]?.rows).toHaveLength(1);
    // With one worker the small job would end after the big one.
    expect(smallMs).toBeLessThan(bigMs / 2);
  });

  it("after close, build rejects instead of starting a worker", async () => {
    builder = createTickBuilder();
    const pending = expect(builder.build(bigOutput(200_000), 1, [{ limit: 1 }])).rejects.toThrow(
      /the live view is closed/,
    );
    await builder.close();
    await pending;
    await expect(builder.build(scriptOutput(reads), 1, [{ limit: 1 }])).rejects.toThrow(
      /the live view is closed/,
    );
  });

  it("a worker that cannot start is retried with backoff, not once per tick", async () => {
    // A heap limit too small to load the worker's code (the smallest allowed): every start fails.
    builder = createTickBuilder({ maxMemoryMb: 4, restartBackoffMs: 500 });
    const job = () => builder?.build(scriptOutput(reads), 1, [{ limit: 1 }]);
    await expect(job()).rejects.toThrow();
    // Within the backoff: refused at once, naming the cause, without starting a worker.
    const started = performance.now();
    await expect(job()).rejects.toThrow(/cannot start \(.+\); next attempt in 1 s/);
    await expect(job()).rejects.toThrow(/cannot start/);
    expect(performance.now() - started).toBeLessThan(50);
    // After it, one more attempt (which fails again and doubles the wait).
    await new Promise((r) => setTimeout(r, 600));
    await expect(job()).rejects.not.toThrow(/next attempt/);
    await expect(job()).rejects.toThrow(/next attempt in 1 s/);
  });
});
