import { describe, expect, it } from "vitest";
import { ReadCache } from "./read-cache.ts";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("ReadCache", () => {
  it("serves a value until something is written", () => {
    const c = new ReadCache<string>(2000, 10, clock().now);
    c.set("a", c.generation, "one");
    expect(c.get("a")).toBe("one");
    c.invalidate();
    expect(c.get("a")).toBeUndefined();
  });

  it("drops a value whose reader started before a write", () => {
    const c = new ReadCache<string>(2000, 10, clock().now);
    const startedAt = c.generation;
    c.invalidate(); // a write commits while the reader is still reading
    c.set("a", startedAt, "stale");
    expect(c.get("a")).toBeUndefined();
  });

  it("expires values older than maxAgeMs", () => {
    const time = clock();
    const c = new ReadCache<string>(2000, 10, time.now);
    c.set("a", c.generation, "one");
    time.advance(2000);
    expect(c.get("a")).toBe("one");
    time.advance(1);
    expect(c.get("a")).toBeUndefined();
  });

  it("never holds more than maxEntries", () => {
    const c = new ReadCache<number>(2000, 3, clock().now);
    for (let i = 0; i < 3; i++) c.set(`k${i}`, c.generation, i);
    expect(c.get("k2")).toBe(2);
    c.set("k0", c.generation, 10); // replacing a key does not evict
    expect(c.get("k1")).toBe(1);
    c.set("k3", c.generation, 3);
    expect(c.get("k1")).toBeUndefined();
    expect(c.get("k3")).toBe(3);
  });
});
