import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_CHECK, detectionBoundSeconds, healthCheckSchema } from "./health-check.ts";
import { realserverVerdicts } from "./health-state.ts";
import { validateRealServerInput, validateServiceInput } from "./input-rules.ts";
import type { ServiceSpec } from "./model.ts";
import { validateCluster } from "./validate.ts";

const base = { protocol: "tcp", vip: "192.0.2.10", port: 80, scheduler: "rr", forwarding: "dr" };
const fieldsOf = (input: Record<string, unknown>) =>
  Object.fromEntries(validateServiceInput(input).map((i) => [i.field, i.message]));

describe("health check input", () => {
  it("fills the documented defaults: tcp every 5 s, 3 s timeout, 2 retries", () => {
    expect(healthCheckSchema.parse({ type: "tcp" })).toEqual(DEFAULT_HEALTH_CHECK);
    // (5 s + 3 s) × 3 for a realserver that does not answer at all.
    expect(detectionBoundSeconds(DEFAULT_HEALTH_CHECK)).toBe(24);
  });

  it("explains each limit next to its field", () => {
    const fields = fieldsOf({
      ...base,
      healthCheck: {
        type: "http",
        path: "health",
        intervalSeconds: 0,
        timeoutSeconds: 301,
        retries: 11,
      },
    });
    expect(fields["healthCheck.path"]).toMatch(/must start with \//);
    expect(fields["healthCheck.intervalSeconds"]).toMatch(/from 1 to 3600/);
    expect(fields["healthCheck.timeoutSeconds"]).toMatch(/from 1 to 300/);
    expect(fields["healthCheck.retries"]).toMatch(/from 0 to 10/);
    expect(
      fieldsOf({ ...base, healthCheck: { type: "http", path: "/a b" } })["healthCheck.path"],
    ).toMatch(/no spaces/);
    expect(fieldsOf({ ...base, healthCheck: { type: "ping" } })["healthCheck.type"]).toBe(
      "must be none, tcp, http or https",
    );
  });

  it("refuses fields that do not fit the check, a timeout past the interval, a sorry server of the other family", () => {
    expect(fieldsOf({ ...base, healthCheck: { type: "tcp", path: "/x" } })).toEqual({
      "healthCheck.path": "only applies to http and https checks, not tcp",
    });
    expect(
      fieldsOf({ ...base, healthCheck: { type: "tcp", intervalSeconds: 2, timeoutSeconds: 3 } })[
        "healthCheck.timeoutSeconds"
      ],
    ).toMatch(/must not exceed the interval \(2 s\)/);
    expect(fieldsOf({ ...base, sorryServer: { address: "2001:db8::1", port: 80 } })).toEqual({
      "sorryServer.address": "must be of the same address family as the VIP",
    });
    expect(
      fieldsOf({
        ...base,
        healthCheck: {
          type: "https",
          path: "/healthz?full=1",
          expectStatus: 204,
          host: "www.example.com",
        },
        onFailure: "remove",
        sorryServer: { address: "192.0.2.99", port: 8080 },
      }),
    ).toEqual({});
    expect(validateRealServerInput({ address: "10.0.0.1", port: 80, checkPort: 0 })[0]?.field).toBe(
      "checkPort",
    );
  });

  it("a stored cluster on keepalived refuses mark-service DR realservers that keepalived would merge", () => {
    const mark: ServiceSpec = {
      ...(base as Pick<ServiceSpec, "protocol" | "vip" | "scheduler" | "forwarding">),
      port: 0,
      fwmark: 7,
      realservers: [
        { address: "10.0.0.1", port: 80, weight: 1, enabled: true },
        { address: "10.0.0.1", port: 443, weight: 1, enabled: true },
      ],
    };
    const onKeepalived = validateCluster({
      engine: "keepalived",
      director: null,
      services: [mark],
    });
    expect(onKeepalived.errors.map((e) => e.code)).toContain("KEEPALIVED_FWMARK_DUPLICATE");
    const onIpvsadm = validateCluster({ director: null, services: [mark] });
    expect(onIpvsadm.errors.map((e) => e.code)).not.toContain("KEEPALIVED_FWMARK_DUPLICATE");
  });
});

describe("realserver verdicts from the table", () => {
  const service = (weights: number[], over: Partial<ServiceSpec> = {}): ServiceSpec => ({
    protocol: "tcp",
    vip: "192.0.2.10",
    port: 80,
    scheduler: "rr",
    forwarding: "dr",
    realservers: weights.map((weight, i) => ({
      address: `10.0.0.${i + 1}`,
      port: 80,
      weight,
      enabled: true,
    })),
    ...over,
  });
  const states = (desired: ServiceSpec[], table: ServiceSpec[], running = true) =>
    realserverVerdicts(desired, table, running)
      .flat()
      .map((v) => v.state);

  it("quiesce: weight 0 in the table is down; the configured weight is up", () => {
    expect(states([service([2, 1])], [service([2, 0])])).toEqual(["up", "down"]);
  });
  it("remove: absent is down", () => {
    const s = service([1, 1], { onFailure: "remove" });
    expect(states([s], [service([1])])).toEqual(["up", "down"]);
  });
  it("says unknown, with a reason, when nothing can tell", () => {
    const verdicts = realserverVerdicts([service([1, 0])], [service([1, 0])], true).flat();
    expect(verdicts[1]).toMatchObject({
      state: "unknown",
      reason: expect.stringMatching(/drained or disabled/),
    });
    expect(states([service([1])], [service([1])], false)).toEqual(["unknown"]);
    expect(states([service([1])], [])).toEqual(["unknown"]);
    const none = service([1], { healthCheck: { ...DEFAULT_HEALTH_CHECK, type: "none" } });
    expect(states([none], [service([0])])).toEqual(["unknown"]);
  });
});
