import { describe, expect, it } from "vitest";
import {
  describeHealthCheck,
  directorStateLabel,
  formatHeldFor,
  realserverStateLabel,
  sinceTitle,
} from "./healthLabels.ts";

describe("health labels", () => {
  it("names the states with a capital, as the table shows them", () => {
    expect(realserverStateLabel("up")).toBe("Up");
    expect(realserverStateLabel("down")).toBe("Down");
    expect(realserverStateLabel("unknown")).toBe("Unknown");
  });

  it("says how long a state has held at the reading's time", () => {
    const at = "2026-01-01T12:00:00.000Z";
    expect(formatHeldFor("2026-01-01T11:59:48.000Z", at)).toBe("for 12 s");
    expect(formatHeldFor("2026-01-01T11:54:30.000Z", at)).toBe("for 5 min");
    expect(formatHeldFor("2026-01-01T09:00:00.000Z", at)).toBe("for 3 h");
    expect(formatHeldFor("2025-12-30T12:00:00.000Z", at)).toBe("for 2 d");
    // A since after the reading (clocks) is not a negative duration.
    expect(formatHeldFor("2026-01-01T12:00:01.000Z", at)).toBe("for 0 s");
    expect(formatHeldFor(null, at)).toBeNull();
  });

  it("gives the exact time as the tooltip", () => {
    expect(sinceTitle("2026-01-01T12:00:00.000Z")).toMatch(/^Since .*2026/);
    expect(sinceTitle(null)).toBe("Already so when the panel first looked");
  });

  it("names keepalived's state on the director, with its pid while running", () => {
    expect(directorStateLabel({ state: "running", pid: 812 })).toBe("Running (pid 812)");
    expect(directorStateLabel({ state: "stopped", pid: null })).toBe("Stopped");
    expect(directorStateLabel({ state: "unreachable", pid: null })).toBe("Unreachable");
  });

  it("describes a check in one phrase", () => {
    const timing = { intervalSeconds: 5, timeoutSeconds: 3, retries: 2 };
    expect(describeHealthCheck({ type: "tcp", ...timing })).toBe("TCP connect every 5 s");
    expect(
      describeHealthCheck({
        type: "http",
        path: "/health",
        expectStatus: 200,
        port: 8080,
        ...timing,
      }),
    ).toBe("HTTP GET /health to port 8080 expecting 200 every 5 s");
    expect(describeHealthCheck({ type: "https", ...timing })).toBe("HTTPS GET / every 5 s");
    expect(describeHealthCheck({ type: "none", ...timing })).toBe("None");
  });
});
