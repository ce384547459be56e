import { describe, expect, it } from "vitest";
import type { ClusterSpec } from "../model.ts";
import { planCluster } from "../plan.ts";
import { stepsOnAbsentHost } from "./absent-hosts.ts";

const RS = "10.10.0.12";

function spec(forwarding: "dr" | "nat", realservers: { address: string; weight?: number }[]) {
  return {
    director: { dip: "10.10.0.1", interface: "eth1", vipInterface: "eth0" },
    services: [
      {
        protocol: "tcp" as const,
        vip: "10.10.0.200",
        port: 80,
        scheduler: "rr" as const,
        forwarding,
        realservers: realservers.map((r) => ({
          address: r.address,
          port: 80,
          weight: r.weight ?? 1,
          enabled: true,
        })),
      },
    ],
  } satisfies ClusterSpec;
}

const both = [{ address: "10.10.0.11" }, { address: RS }];
const split = (from: ClusterSpec, to: ClusterSpec) => {
  const { needed, deferred } = stepsOnAbsentHost(planCluster(from, to), RS);
  return {
    needed: needed.map((s) => s.step.description),
    deferred: deferred.map((s) => s.step.description),
  };
};

describe("steps on a realserver that cannot be reached", () => {
  it("draining or reweighting it changes nothing on it", () => {
    for (const weight of [0, 5]) {
      const to = spec("dr", [{ address: "10.10.0.11" }, { address: RS, weight }]);
      expect(split(spec("dr", both), to)).toEqual({ needed: [], deferred: [] });
    }
  });

  it("removing it leaves only cleanup, which can wait", () => {
    const dr = split(spec("dr", both), spec("dr", [{ address: "10.10.0.11" }]));
    expect(dr.needed).toEqual([]);
    expect(dr.deferred).toContain("Remove 10.10.0.200/32 from lo");
    expect(dr.deferred).toContain("Set net.ipv4.conf.all.arp_ignore=0");
    const nat = split(spec("nat", both), spec("nat", [{ address: "10.10.0.11" }]));
    expect(nat.needed).toEqual([]);
    expect(nat.deferred).toContain(`Remove reply rule for ${RS}:80`);
  });

  it("adding it, or switching it to DR, needs it before the director sends it traffic", () => {
    const added = split(spec("dr", [{ address: "10.10.0.11" }]), spec("dr", both));
    expect(added.needed).toContain("Add 10.10.0.200/32 on lo");
    expect(added.needed).toContain("Set net.ipv4.conf.all.arp_ignore=1");
    const toDr = split(spec("nat", both), spec("dr", both));
    expect(toDr.needed).toContain("Add 10.10.0.200/32 on lo");
    // Its NAT return rule could go later; the VIP on lo cannot.
    expect(toDr.deferred).toContain(`Remove reply rule for ${RS}:80`);
  });
});
