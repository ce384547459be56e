import { describe, expect, it } from "vitest";
import type { ClusterSpec, ServiceSpec } from "../model.ts";
import { specChanges } from "./spec-changes.ts";

const service = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  protocol: "tcp",
  vip: "10.10.0.200",
  port: 80,
  scheduler: "rr",
  forwarding: "dr",
  realservers: [11, 12].map((n) => ({
    address: `10.10.0.${n}`,
    port: 80,
    weight: 1,
    enabled: true,
  })),
  ...over,
});

const spec = (services: ServiceSpec[]): ClusterSpec => ({
  director: { dip: "10.10.0.1", interface: "lan0" },
  services,
});

describe("pending changes in words", () => {
  it("nothing changed: no line", () => {
    expect(specChanges(spec([service()]), spec([service()]))).toEqual([]);
  });

  it("names a drain, an undrain, a weight, a switch and what was added or removed", () => {
    const applied = spec([service()]);
    const drained = service();
    drained.realservers = [
      { address: "10.10.0.11", port: 80, weight: 0, enabled: true },
      { address: "10.10.0.13", port: 80, weight: 1, enabled: true },
    ];
    expect(specChanges(applied, spec([{ ...drained, forwarding: "nat" }]))).toEqual([
      "Switch TCP 10.10.0.200:80 from DR to NAT",
      "Drain 10.10.0.11:80 in TCP 10.10.0.200:80",
      "Add 10.10.0.13:80 to TCP 10.10.0.200:80",
      "Remove 10.10.0.12:80 from TCP 10.10.0.200:80",
    ]);
    expect(specChanges(spec([drained]), applied)).toContain(
      "Undrain 10.10.0.11:80 in TCP 10.10.0.200:80 (weight 1)",
    );
  });

  it("a first apply lists the director and the services", () => {
    expect(specChanges(null, spec([service()]))).toEqual([
      "Set the director: 10.10.0.1 on lan0",
      "Add service TCP 10.10.0.200:80 (2 realservers)",
    ]);
  });
});
