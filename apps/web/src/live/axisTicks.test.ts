import { describe, expect, it } from "vitest";
import { ticksUpTo, valueAxis } from "./axisTicks.ts";
import { formatAxisNumber, formatBytesPerSecond } from "./format.ts";

const bytes = (v: number) => formatBytesPerSecond(v).replace("/s", "");

describe("valueAxis", () => {
  it("counts small numbers in whole steps: 0, 1, 2, never 0, 0, 1, 1", () => {
    expect(valueAxis(2, 5, formatAxisNumber)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(valueAxis(1, 5, formatAxisNumber)).toEqual({ top: 2, ticks: [0, 1, 2] });
    expect(valueAxis(0.4, 5, formatAxisNumber)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it("shows 0 to 1 before there is anything to show", () => {
    expect(valueAxis(null, 5, formatAxisNumber)).toEqual({ top: 1, ticks: [0, 1] });
    expect(valueAxis(0, 5, formatAxisNumber)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it("takes the smallest 1-2-5 step that fits the ticks the height allows", () => {
    expect(valueAxis(100, 5, formatAxisNumber).ticks).toEqual([0, 50, 100, 150]);
    expect(valueAxis(7, 5, formatAxisNumber).ticks).toEqual([0, 2, 4, 6, 8]);
    expect(valueAxis(12_345_678, 5, formatAxisNumber).ticks).toEqual([0, 5e6, 10e6, 15e6]);
  });

  it("never prints two ticks alike, whatever the values and the formatter", () => {
    for (const format of [formatAxisNumber, bytes]) {
      for (let max = 0; max < 5e7; max = max * 1.37 + 1) {
        for (const maxTicks of [3, 5, 8]) {
          const { top, ticks } = valueAxis(max, maxTicks, format);
          const labels = ticks.map(format);
          expect(new Set(labels).size, `${max}: ${labels.join(", ")}`).toBe(labels.length);
          expect(ticks.length).toBeLessThanOrEqual(maxTicks);
          expect(top).toBeGreaterThanOrEqual(max);
          expect(ticks.at(-1)).toBe(top);
          // The axis asks again for the scale's top, and gets the same ticks.
          expect(ticksUpTo(top, maxTicks, format)).toEqual(ticks);
        }
      }
    }
  });
});
