import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { parseIpvsadmList } from "./list.ts";

describe("parseIpvsadmList", () => {
  it("reads the NAT listing", () => {
    const r = parseIpvsadmList(fixture("nat-Ln.txt"));
    expect(r.errors).toEqual([]);
    expect(r.version).toBe("1.2.1");
    expect(r.tableSize).toBe(4096);
    expect(r.format).toBe("default");
    expect(r.services).toHaveLength(1);
    const svc = r.services[0];
    expect(svc).toMatchObject({
      protocol: "tcp",
      address: "192.168.77.100",
      port: 80,
      scheduler: "rr",
    });
    expect(
      svc?.realservers.map((x) => [x.address, x.port, x.forwarding, x.weight, x.inactiveConns]),
    ).toEqual([
      ["10.10.0.11", 80, "nat", 1, 3],
      ["10.10.0.12", 80, "nat", 1, 3],
      ["10.10.0.13", 80, "nat", 1, 3],
    ]);
  });

  it("reads every service kind of the mixed listing", () => {
    const r = parseIpvsadmList(fixture("mixed-Ln.txt"));
    expect(r.errors).toEqual([]);
    const [nat, persist, wrr, p300, udp, v6, fwm] = r.services;
    expect(r.services).toHaveLength(7);
    expect(nat?.realservers).toHaveLength(3);
    expect(persist).toMatchObject({
      scheduler: "lc",
      persistence: 60,
      persistenceNetmask: "255.255.255.0",
    });
    expect(persist?.realservers.map((x) => [x.port, x.weight, x.inactiveConns])).toEqual([
      [80, 5, 0],
      [80, 5, 40],
    ]);
    expect(wrr?.realservers.map((x) => x.weight)).toEqual([3, 1, 0]);
    expect(p300).toMatchObject({ port: 443, scheduler: "wlc", persistence: 300 });
    expect(p300?.persistenceNetmask).toBeUndefined();
    expect(udp).toMatchObject({
      protocol: "udp",
      scheduler: "sh",
      schedulerFlags: ["sh-fallback", "sh-port"],
    });
    expect(v6).toMatchObject({ family: 6, address: "fd00::200", schedulerFlags: ["mh-port"] });
    expect(v6?.realservers[0]).toMatchObject({
      address: "fd00::11",
      port: 80,
      weight: 2,
      forwarding: "dr",
    });
    expect(fwm).toMatchObject({ protocol: "fwm", fwmark: 7, scheduler: "rr" });
    expect(fwm?.realservers[0]).toMatchObject({ address: "10.10.0.13", port: 0 });
  });

  it("reads --stats, --exact --stats and --rate counters under their column names", () => {
    const stats = parseIpvsadmList(fixture("mixed-Ln-stats.txt"));
    expect(stats.errors).toEqual([]);
    expect(stats.format).toBe("stats");
    expect(stats.services[0]?.counters).toEqual({
      values: { Conns: 40, InPkts: 242, OutPkts: 239, InBytes: 16024, OutBytes: 21188 },
      approximate: false,
    });
    expect(stats.services[2]?.realservers[0]?.counters?.values.Conns).toBe(45);
    expect(stats.services[6]).toMatchObject({ fwmark: 7 });
    const exact = parseIpvsadmList(fixture("mixed-Ln-exact-stats.txt"));
    expect(exact.services).toEqual(stats.services);
    const rate = parseIpvsadmList(fixture("dr-rate.txt"));
    expect(rate.format).toBe("rate");
    expect(rate.services[0]?.counters?.values).toEqual({
      CPS: 1,
      InPPS: 5,
      OutPPS: 0,
      InBPS: 342,
      OutBPS: 0,
    });
    expect(rate.services[0]?.realservers[2]?.counters?.values.InBPS).toBe(111);
  });

  it("expands K/M/G suffixes and flags the figures as approximate", () => {
    const text = [
      "IP Virtual Server version 1.2.1 (size=4096)",
      "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
      "  -> RemoteAddress:Port",
      "TCP  10.0.0.1:80                  123456K     5000    12345M      99G        7",
      "  -> 10.0.0.2:80                        1        2        3        4        5",
    ].join("\n");
    const r = parseIpvsadmList(text);
    expect(r.errors).toEqual([]);
    expect(r.services[0]?.counters).toEqual({
      values: { Conns: 123456000, InPkts: 5000, OutPkts: 12345000000, InBytes: 99e9, OutBytes: 7 },
      approximate: true,
    });
    expect(r.services[0]?.realservers[0]?.counters?.approximate).toBe(false);
  });

  it("reads --thresholds and --persistent-conn layouts", () => {
    const thresholds = parseIpvsadmList(
      [
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port            Uthreshold Lthreshold ActiveConn InActConn",
        "TCP  10.10.0.200:443 wlc persistent 300",
        "  -> 10.10.0.11:443                1000       200        0          0         ",
      ].join("\n"),
    );
    expect(thresholds.errors).toEqual([]);
    expect(thresholds.format).toBe("thresholds");
    expect(thresholds.services[0]?.realservers[0]).toMatchObject({
      upperThreshold: 1000,
      lowerThreshold: 200,
    });
    const pconn = parseIpvsadmList(
      [
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port            Weight    PersistConn ActiveConn InActConn",
        "TCP  192.168.77.100:8080 lc persistent 60 mask 255.255.255.0",
        "  -> 10.10.0.12:80                 5         1           0          40        ",
      ].join("\n"),
    );
    expect(pconn.format).toBe("persistent-conn");
    expect(pconn.services[0]?.realservers[0]).toMatchObject({
      weight: 5,
      persistentConns: 1,
      inactiveConns: 40,
    });
  });

  it("reports lines it cannot read instead of dropping them", () => {
    const text = `${fixture("dr-Ln.txt")}garbage here\n  -> 10.10.0.14:80 Route 1 0\n`;
    const r = parseIpvsadmList(text);
    expect(r.services[0]?.realservers).toHaveLength(3);
    expect(r.errors.map((e) => [e.line, e.text])).toEqual([
      [8, "garbage here"],
      [9, "  -> 10.10.0.14:80 Route 1 0"],
    ]);
    expect(parseIpvsadmList("  -> 10.0.0.1:80 Route 1 0 0\n").errors[0]?.reason).toMatch(
      /before any service/,
    );
  });
});
