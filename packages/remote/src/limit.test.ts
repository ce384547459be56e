import { describe, expect, it } from "vitest";
import { createLimiter, settleBounded } from "./limit.ts";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("settleBounded", () => {
  it("keeps at most `concurrency` tasks in flight, results in input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await settleBounded([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(n * 5);
      inFlight--;
      if (n === 4) throw new Error("four");
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([
      50,
      10,
      "four",
      20,
      30,
    ]);
  });

  it("holds an acquired slot until released, once, and then lets the next waiter in", async () => {
    const limiter = createLimiter(1);
    const release = await limiter.acquire();
    let ran = false;
    const waiting = limiter.run(async () => {
      ran = true;
    });
    await tick(10);
    expect(ran).toBe(false);
    release();
    release(); // a second call frees nothing more
    await waiting;
    expect(ran).toBe(true);
    expect(limiter.active).toBe(0);
  });

  it("rejects a limit below 1", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
