import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatForwarding,
  formatPersistence,
  formatRelative,
  pluralize,
} from "./format.ts";

describe("format", () => {
  it("writes persistence in the largest whole unit", () => {
    expect(formatPersistence(null)).toBe("Off");
    expect(formatPersistence(90)).toBe("90 s");
    expect(formatPersistence(300)).toBe("5 min");
    expect(formatPersistence(7200)).toBe("2 h");
  });

  it("names every forwarding method as ipvsadm's man page does", () => {
    expect(["nat", "dr", "tun"].map(formatForwarding)).toEqual(["NAT", "DR", "TUN"]);
    expect(formatForwarding("mixed")).toBe("MIXED");
  });

  it("pluralizes counts", () => {
    expect(pluralize(1, "service")).toBe("1 service");
    expect(pluralize(2, "realserver")).toBe("2 realservers");
  });

  it("says how long ago", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2026-01-01T11:55:00Z", now)).toMatch(/5 minutes ago/);
  });

  it("writes durations in seconds, then minutes", () => {
    expect(formatDuration(860)).toBe("0.9 s");
    expect(formatDuration(12_300)).toBe("12 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(-1)).toBe("—");
  });
});
