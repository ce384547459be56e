import { describe, expect, it } from "vitest";
import type { Cluster, Service } from "../../api/types.ts";
import { directorVipSummary, vipPlacement } from "./vipPlacement.ts";

const twoNic = { interface: "lan0", vipInterface: "ext0" };
const svc = (forwarding: Service["forwarding"], vip: string, fwmark: number | null = null) => ({
  forwarding,
  vip,
  port: fwmark ? 0 : 80,
  fwmark,
});

describe("vipPlacement", () => {
  it("puts a NAT VIP on the VIP interface, a DR or TUN one beside the DIP and on the realservers", () => {
    expect(vipPlacement(svc("nat", "192.168.77.100"), twoNic)).toBe("ext0 on the director");
    expect(vipPlacement(svc("dr", "10.10.0.200"), twoNic)).toBe(
      "lan0 on the director, lo on each realserver",
    );
    expect(vipPlacement(svc("tun", "10.10.0.201"), twoNic)).toBe(
      "lan0 on the director, tunl0 on each realserver",
    );
    expect(
      vipPlacement(svc("nat", "192.168.77.100"), { interface: "eth0", vipInterface: null }),
    ).toBe("eth0 on the director");
  });

  it("says the master of a pair carries it, and waits for a director", () => {
    expect(vipPlacement(svc("nat", "192.168.77.100"), twoNic, true)).toBe(
      "ext0 on the master director (VRRP)",
    );
    expect(vipPlacement(svc("dr", "10.10.0.200"), null)).toBe(
      "the director, once it is set, lo on each realserver",
    );
  });

  it("places nothing for a mark service without a VIP", () => {
    expect(vipPlacement(svc("dr", "0.0.0.0", 7), twoNic)).toBeNull();
  });
});

describe("directorVipSummary", () => {
  it("says which VIPs go on which interface", () => {
    const cluster = {
      director: twoNic,
      services: [
        svc("nat", "192.168.77.100"),
        svc("nat", "192.168.77.101"),
        svc("dr", "10.10.0.200"),
        svc("dr", "0.0.0.0", 7),
      ],
    } as unknown as Cluster;
    expect(directorVipSummary(cluster)).toBe(
      "NAT VIPs 192.168.77.100, 192.168.77.101 on ext0; DR VIP 10.10.0.200 on lan0",
    );
    expect(directorVipSummary({ ...cluster, director: null })).toBeNull();
  });
});
