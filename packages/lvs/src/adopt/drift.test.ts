import { describe, expect, it } from "vitest";
import type { ServiceSpec } from "../model.ts";
import { tableDrift } from "./drift.ts";

const service = (weights: number[], extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
  protocol: "tcp",
  vip: "10.0.0.1",
  port: 80,
  scheduler: "wrr",
  forwarding: "dr",
  realservers: weights.map((weight, i) => ({
    address: `10.10.0.1${i + 1}`,
    port: 80,
    weight,
    enabled: true,
  })),
  ...extra,
});

describe("tableDrift", () => {
  it("is empty when the director holds what the panel put there", () => {
    expect(tableDrift([service([1, 2])], [service([1, 2])])).toEqual({
      changes: [],
      counts: { service: 0, realserver: 0, weight: 0, setting: 0 },
      summary: "",
    });
  });

  it("names each change made by hand and counts them", () => {
    const live = service([5, 2]);
    live.realservers.push({ address: "10.10.0.19", port: 80, weight: 1, enabled: true });
    const drift = tableDrift([service([1, 2]), service([1], { port: 443 })], [live]);
    expect(drift.changes).toEqual([
      {
        service: "TCP 10.0.0.1:80",
        kind: "weight",
        change: "realserver 10.10.0.11:80 has weight 5, not 1",
        key: "tcp|10.0.0.1|80",
        realserver: { address: "10.10.0.11", port: 80 },
      },
      {
        service: "TCP 10.0.0.1:80",
        kind: "realserver",
        change: "realserver 10.10.0.19:80 was added",
        key: "tcp|10.0.0.1|80",
        realserver: { address: "10.10.0.19", port: 80 },
      },
      {
        service: "TCP 10.0.0.1:443",
        kind: "service",
        change: "the service was removed",
        key: "tcp|10.0.0.1|443",
      },
    ]);
    expect(drift.summary).toBe("changed outside the panel: 1 service, 1 realserver, 1 weight");
  });

  it("under keepalived, a realserver its check quiesced or removed is not drift", () => {
    const known = [
      service([1, 1], {
        healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
      }),
    ];
    expect(tableDrift(known, [service([1, 0])], { keepalived: true }).changes).toEqual([]);
    expect(tableDrift(known, [service([1, 0])]).counts.weight).toBe(1);
  });

  it("a disabled realserver is expected at weight 0", () => {
    const known = service([3]);
    known.realservers[0] = { address: "10.10.0.11", port: 80, weight: 3, enabled: false };
    expect(tableDrift([known], [service([0])]).changes).toEqual([]);
  });
});
