import { describe, expect, it } from "vitest";
import {
  formatAxisNumber,
  formatBytesPerSecond,
  formatClock,
  formatCount,
  formatExpires,
  formatPerSecond,
} from "./format.ts";

describe("formatBytesPerSecond", () => {
  it.each([
    [0, "0 B/s"],
    [512, "512 B/s"],
    [999, "999 B/s"],
    [1000, "1.0 kB/s"],
    [1234, "1.2 kB/s"],
    [34_500, "35 kB/s"],
    [3_400_000, "3.4 MB/s"],
    [999_600, "1.0 MB/s"],
    [2_500_000_000, "2.5 GB/s"],
  ])("%d → %s", (value, text) => {
    expect(formatBytesPerSecond(value)).toBe(text);
  });

  it("shows a dash when the director did not report the figure", () => {
    expect(formatBytesPerSecond(undefined)).toBe("—");
  });
});

describe("formatPerSecond and formatAxisNumber", () => {
  it("shortens large rates", () => {
    expect(formatPerSecond(42)).toBe("42/s");
    expect(formatPerSecond(12_340)).toBe("12k/s");
    expect(formatAxisNumber(1_200)).toBe("1.2k");
    expect(formatAxisNumber(0)).toBe("0");
  });
});

describe("formatExpires", () => {
  it.each([
    [0, "00:00"],
    [9, "00:09"],
    [113, "01:53"],
    [900, "15:00"],
    [3725, "62:05"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatExpires(seconds)).toBe(text);
  });
});

describe("formatClock", () => {
  it("writes local HH:MM:SS", () => {
    expect(formatClock(new Date(2024, 0, 2, 7, 5, 9).toISOString())).toBe("07:05:09");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(undefined)).toBe("—");
  });
});
