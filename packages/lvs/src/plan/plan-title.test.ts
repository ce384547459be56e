import { describe, expect, it } from "vitest";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "../model.ts";
import { planCluster } from "../plan.ts";
import { planChanges, planTitle } from "./plan-title.ts";

const director = { dip: "10.10.0.1", interface: "eth1" };
const rs = (address: string, over: Partial<RealServerSpec> = {}): RealServerSpec => ({
  address,
  port: 80,
  weight: 1,
  enabled: true,
  ...over,
});
const web = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  protocol: "tcp",
  vip: "10.10.0.200",
  port: 80,
  scheduler: "rr",
  forwarding: "dr",
  realservers: [rs("10.10.0.11"), rs("10.10.0.12"), rs("10.10.0.13")],
  ...over,
});
const cluster = (...services: ServiceSpec[]): ClusterSpec => ({ director, services });
const planned = (from: ServiceSpec[], to: ServiceSpec[]) =>
  planCluster(cluster(...from), cluster(...to)).summary;

describe("planChanges, through planCluster", () => {
  it("names a drain, a disable, a weight and a realserver put back", () => {
    const before = web({
      realservers: [rs("10.10.0.11"), rs("10.10.0.12"), rs("10.10.0.13", { weight: 0 })],
    });
    const after = web({
      realservers: [
        rs("10.10.0.11", { weight: 0 }),
        rs("10.10.0.12", { enabled: false, weight: 4 }),
        rs("10.10.0.13", { weight: 3 }),
      ],
    });
    expect(planned([before], [after]).changes).toEqual([
      "Drain 10.10.0.11 in TCP 10.10.0.200:80",
      "Disable 10.10.0.12 in TCP 10.10.0.200:80",
      "Put 10.10.0.13 back in TCP 10.10.0.200:80 (weight 3)",
    ]);
  });

  it("switches the whole service in one phrase, and says the port when it differs", () => {
    const summary = planned(
      [web()],
      [
        web({
          forwarding: "nat",
          realservers: [...web().realservers, rs("10.10.0.14", { port: 8080 })],
        }),
      ],
    );
    expect(summary.changes).toEqual([
      "Switch TCP 10.10.0.200:80 from DR to NAT",
      "Add 10.10.0.14:8080 to TCP 10.10.0.200:80",
    ]);
  });

  it("adds and removes services, with the scheduler and persistence in words", () => {
    const udp = web({ protocol: "udp", port: 53, realservers: [rs("10.10.0.11", { port: 53 })] });
    const summary = planned(
      [web(), udp],
      [web({ scheduler: "wlc", persistence: 300 }), web({ port: 443, realservers: [] })],
    );
    expect(summary.changes).toEqual([
      "Change the scheduler of TCP 10.10.0.200:80 from rr to wlc",
      "Set the persistence of TCP 10.10.0.200:80 to 300 s",
      "Add service TCP 10.10.0.200:443",
      "Remove service UDP 10.10.0.200:53",
    ]);
  });

  it("says nothing when nothing changes", () => {
    expect(planChanges([web()], [web()])).toEqual([]);
  });
});

describe("planTitle", () => {
  it("is the one change", () => {
    expect(planTitle(planned([web()], [web({ forwarding: "nat", vip: "192.168.77.100" })]))).toBe(
      "2 changes: Add service TCP 192.168.77.100:80 with 3 realservers; Remove service TCP 10.10.0.200:80",
    );
    expect(planTitle(planned([web()], [web({ forwarding: "nat" })]))).toBe(
      "Switch TCP 10.10.0.200:80 from DR to NAT",
    );
  });

  it("groups realserver changes of one kind in one service", () => {
    const after = web({
      realservers: [
        rs("10.10.0.11", { weight: 0 }),
        rs("10.10.0.12", { weight: 0 }),
        rs("10.10.0.13"),
      ],
    });
    expect(planTitle(planned([web()], [after]))).toBe(
      "Drain 10.10.0.11 and 10.10.0.12 in TCP 10.10.0.200:80",
    );
  });

  it("counts and lists the first three, then how many more", () => {
    expect(
      planTitle({
        changes: [
          "Add a",
          "Remove b from S",
          "Drain c in S",
          "Set the weight of d in S from 1 to 2",
          "Remove service X",
        ],
        lines: [],
      }),
    ).toBe("5 changes: Add a; Remove b from S; Drain c in S; and 2 more");
  });

  it("names what only the lines say, and never the notes on what is left alone", () => {
    expect(
      planTitle({
        changes: [],
        lines: [
          "bring host settings in line with the cluster (no IPVS change)",
          "not managed by this cluster: 2 services (left alone)",
        ],
      }),
    ).toBe("Bring host settings in line with the cluster (no IPVS change)");
    expect(
      planTitle({
        changes: [],
        lines: ['cluster "web" manages 1 more service on this director (left alone)'],
      }),
    ).toBe("No changes");
  });

  it("names an apply stored before changes existed from its lines", () => {
    expect(planTitle({ lines: ["change service TCP 10.10.0.200:80"] })).toBe(
      "Change service TCP 10.10.0.200:80",
    );
  });
});

describe("directorVipChanges, through planCluster", () => {
  it("names a VIP moved to another interface of the director when no service changes", () => {
    const moved = planCluster(
      { director, services: [web()] },
      { director: { ...director, interface: "eth9" }, services: [web()] },
    ).summary;
    expect(moved.changes).toEqual(["Move VIP 10.10.0.200 on the director from eth1 to eth9"]);
    expect(planTitle(moved)).toBe("Move VIP 10.10.0.200 on the director from eth1 to eth9");
  });
});

describe("planTitle on the keepalived engine", () => {
  it("names the change, not the reload that carries it, unless the reload is all there is", () => {
    expect(
      planTitle({
        changes: ["Drain 10.10.0.11 in TCP 10.10.0.200:80"],
        lines: [
          "change service TCP 10.10.0.200:80",
          "reload keepalived with the new configuration",
        ],
      }),
    ).toBe("Drain 10.10.0.11 in TCP 10.10.0.200:80");
    expect(planTitle({ changes: [], lines: ["start keepalived"] })).toBe("Start keepalived");
  });
});
