import { describe, expect, it } from "vitest";
import { liveHealth, newestHealth } from "./health.ts";
import type { ClusterHealth } from "./types.ts";

const reading = (at: string): ClusterHealth => ({
  engine: "keepalived",
  at,
  directors: [],
  realservers: [],
});

describe("newestHealth", () => {
  it("takes the later reading, or whichever there is", () => {
    const older = reading("2026-01-01T12:00:00.000Z");
    const newer = reading("2026-01-01T12:00:02.000Z");
    expect(newestHealth(older, newer)).toBe(newer);
    expect(newestHealth(newer, older)).toBe(newer);
    expect(newestHealth(null, older)).toBe(older);
    expect(newestHealth(older, null)).toBe(older);
    expect(newestHealth(null, null)).toBeNull();
  });
});

describe("liveHealth", () => {
  const tick = {
    at: "2026-01-01T12:00:00.000Z",
    readMs: 1,
    processMs: 1,
    truncated: false,
    rows: [],
    services: [],
    parseErrors: 0,
  };
  const health = reading(tick.at);

  it("is the tick's health while the stream is open and the director answers", () => {
    expect(liveHealth({ tick: { ...tick, health }, status: "open", directorError: null })).toBe(
      health,
    );
  });

  it("is nothing when the tick is old or carries none: the page polls instead", () => {
    const withHealth = { ...tick, health };
    expect(liveHealth({ tick: withHealth, status: "closed", directorError: null })).toBeNull();
    expect(
      liveHealth({ tick: withHealth, status: "reconnecting", directorError: null }),
    ).toBeNull();
    expect(
      liveHealth({
        tick: withHealth,
        status: "open",
        directorError: { message: "x", at: tick.at },
      }),
    ).toBeNull();
    expect(liveHealth({ tick, status: "open", directorError: null })).toBeNull();
    expect(liveHealth({ tick: null, status: "connecting", directorError: null })).toBeNull();
  });
});
