// The environment as loadConfig reads it: here, GET /metrics' switch and its dedicated token.
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("metrics configuration", () => {
  it("is off unless LVS_PANEL_METRICS is 1 (or true)", () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: false, token: undefined });
    expect(loadConfig({ LVS_PANEL_METRICS: "0" }).metrics.enabled).toBe(false);
    expect(loadConfig({ LVS_PANEL_METRICS: "1" }).metrics.enabled).toBe(true);
    expect(loadConfig({ LVS_PANEL_METRICS: "true" }).metrics.enabled).toBe(true);
  });

  it("takes a dedicated token of 32 characters or more, and refuses a guessable one", () => {
    const token = "0123456789abcdef0123456789abcdef";
    expect(loadConfig({ LVS_PANEL_METRICS: "1", LVS_PANEL_METRICS_TOKEN: token }).metrics).toEqual({
      enabled: true,
      token,
    });
    expect(loadConfig({ LVS_PANEL_METRICS_TOKEN: "" }).metrics.token).toBeUndefined();
    for (const bad of ["short", `${token.slice(1)} `, `${token} x`]) {
      expect(() => loadConfig({ LVS_PANEL_METRICS_TOKEN: bad })).toThrow(/at least 32 characters/);
    }
  });
});
