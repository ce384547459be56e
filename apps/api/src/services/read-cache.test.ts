import { describe, expect, it } from "vitest";
import { ReadCache } from "./read-cache.ts";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("ReadCache", () => {
  it("serves a value until something is written", () => {
    const c = new ReadCache<string>(2000, 10, { now: clock().now });
    c.set("a", c.generation, "one");
    expect(c.get("a")).toBe("one");
    c.invalidate();
    expect(c.get("a")).toBeUndefined();
  });

  it("drops a value whose reader started before a write", () => {
    const c = new ReadCache<string>(2000, 10, { now: clock().now });
    const startedAt = c.generation;
    c.invalidate(); // a write commits while the reader is still reading
    c.set("a", startedAt, "stale");
    expect(c.get("a")).toBeUndefined();
  });

  it("expires values older than maxAgeMs", () => {
    const time = clock();
    const c = new ReadCache<string>(2000, 10, { now: time.now });
    c.set("a", c.generation, "one");
    time.advance(2000);
    expect(c.get("a")).toBe("one");
    time.advance(1);
    expect(c.get("a")).toBeUndefined();
  });

  it("never holds more than maxEntries", () => {
    const c = new ReadCache<number>(2000, 3, { now: clock().now });
    for (let i = 0; i < 3; i++) c.set(`k${i}`, c.generation, i);
    expect(c.get("k2")).toBe(2);
    c.set("k0", c.generation, 10); // replacing a key does not evict
    expect(c.get("k1")).toBe(1);
    c.set("k3", c.generation, 3);
    expect(c.get("k1")).toBeUndefined();
    expect(c.get("k3")).toBe(3);
  });

  it("keeps the summed weight under maxWeight, dropping expired entries first", () => {
    const time = clock();
    const c = new ReadCache<string>(2000, 100, {
      now: time.now,
      maxWeight: 10,
      weigh: (v) => v.length,
    });
    c.set("old", c.generation, "aaaa");
    time.advance(2001);
    c.set("a", c.generation, "bbbb");
    c.set("b", c.generation, "cccc"); // 12 > 10: the expired "old" goes, the live ones stay
    expect(c.get("a")).toBe("bbbb");
    expect(c.get("b")).toBe("cccc");
    expect(c.size.weight).toBe(8);
    c.set("c", c.generation, "dddd"); // live entries only: start over
    expect(c.size).toEqual({ entries: 1, weight: 4 });
    c.set("huge", c.generation, "x".repeat(11)); // heavier than the whole cache: not kept
    expect(c.get("huge")).toBeUndefined();
    c.set("c", c.generation, "ee"); // replacing an entry replaces its weight
    expect(c.size.weight).toBe(2);
  });
});
