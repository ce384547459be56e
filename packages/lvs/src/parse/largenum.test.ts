import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLargeNumber, parseLargeNumber } from "./largenum.ts";

describe("large numbers", () => {
  it("formats at ipvsadm's thresholds", () => {
    expect(formatLargeNumber(99_999_999)).toBe(" 99999999");
    expect(formatLargeNumber(100_000_000)).toBe("  100000K");
    expect(formatLargeNumber(1_000_000_000)).toBe("    1000M");
    expect(formatLargeNumber(100_000_000_000)).toBe("     100G");
    expect(formatLargeNumber(123_456_789_012, true)).toBe(" 123456789012");
  });

  it("parses what it formats to a lower bound within the suffix's precision", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const parsed = parseLargeNumber(formatLargeNumber(n).trim());
        expect(parsed).not.toBeNull();
        const v = parsed?.value ?? -1;
        expect(v).toBeLessThanOrEqual(n);
        // Each suffix keeps at least three digits, so the loss stays under 1%.
        expect(n - v).toBeLessThan(n < 1e8 ? 1 : n / 100);
        expect(parsed?.approximate).toBe(n >= 1e8);
        expect(parseLargeNumber(formatLargeNumber(n, true).trim())).toEqual({
          value: n,
          approximate: false,
        });
      }),
    );
  });

  it("rejects non-counters", () => {
    for (const bad of ["", "K", "12X", "-1", "1.5K"]) expect(parseLargeNumber(bad)).toBeNull();
  });
});
