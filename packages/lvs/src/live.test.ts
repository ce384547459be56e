import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixtures.ts";
import { mergeThresholds, servicesFromListing } from "./live.ts";
import { normalizeServices } from "./normalize.ts";
import { parseIpvsadmList } from "./parse/list.ts";
import { parseIpvsadmSave } from "./parse/save.ts";
import { validateCluster } from "./validate.ts";

describe("live state from ipvsadm", () => {
  it("gives the same model from -Ln and from ipvsadm-save", () => {
    const fromList = servicesFromListing(parseIpvsadmList(fixture("mixed-Ln.txt")).services);
    const fromSave = servicesFromListing(parseIpvsadmSave(fixture("mixed-save.txt")).services);
    expect(fromList.issues).toEqual([]);
    expect(normalizeServices(fromList)).toEqual(normalizeServices(fromSave));
  });

  it("maps the mixed table onto services the validator accepts", () => {
    const { services } = servicesFromListing(parseIpvsadmSave(fixture("mixed-save.txt")).services);
    expect(
      services.map((s) => [s.protocol, s.vip, s.port, s.forwarding, s.fwmark ?? null]),
    ).toEqual([
      ["tcp", "192.168.77.100", 80, "nat", null],
      ["tcp", "192.168.77.100", 8080, "nat", null],
      ["tcp", "10.10.0.200", 80, "dr", null],
      ["tcp", "10.10.0.200", 443, "dr", null],
      ["udp", "10.10.0.200", 53, "dr", null],
      ["tcp", "fd00::200", 80, "dr", null],
      ["tcp", "0.0.0.0", 0, "dr", 7],
    ]);
    const director = { dip: "10.10.0.1", interface: "eth1" };
    const { errors } = validateCluster({ director, services });
    expect(errors).toEqual([]);
  });

  it("merges --thresholds figures into a listing", () => {
    const { services } = servicesFromListing(parseIpvsadmList(fixture("dr-Ln.txt")).services);
    const thresholds = parseIpvsadmList(
      "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port            Uthreshold Lthreshold ActiveConn InActConn\nTCP  10.10.0.200:80 rr\n  -> 10.10.0.12:80                1000       200        0          0         \n",
    );
    const merged = mergeThresholds(services, thresholds);
    expect(
      merged[0]?.realservers.map((r) => [r.upperThreshold ?? null, r.lowerThreshold ?? null]),
    ).toEqual([
      [null, null],
      [1000, 200],
      [null, null],
    ]);
  });

  it("reports forwarding it cannot manage instead of hiding it", () => {
    const listed = parseIpvsadmList(
      [
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
        "TCP  10.0.0.1:80 rr",
        "  -> 127.0.0.1:80                 Local   1      0          0",
        "  -> 10.0.0.2:80                  Route   1      0          0",
        "",
      ].join("\n"),
    );
    const live = servicesFromListing(listed.services);
    expect(live.issues).toEqual([
      {
        code: "UNSUPPORTED_FORWARDING",
        field: "services[0].realservers[0]",
        message: "local forwarding is not managed; realserver left out",
      },
    ]);
    expect(live.services[0]?.realservers.map((r) => r.address)).toEqual(["10.0.0.2"]);
    // The model's TUN is ipip: a gue tunnel is reported, not rewritten as ipip by the next apply.
    const gue = servicesFromListing(
      parseIpvsadmSave(
        "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum\n",
      ).services,
    );
    expect(gue.issues).toEqual([
      {
        code: "UNSUPPORTED_FORWARDING",
        field: "services[0].realservers[0]",
        message: "gue tunnelling is not managed (TUN here is ipip); realserver left out",
      },
    ]);
  });

  it("takes tunnel forwarding as TUN and SCTP services, from -Ln and from ipvsadm-save alike", () => {
    const fromSave = servicesFromListing(
      parseIpvsadmSave(
        [
          "-A --sctp-service 10.0.0.1:3868 -s rr",
          // As ipvsadm-save 1.31 writes a tunnel realserver.
          "-a --sctp-service 10.0.0.1:3868 -r 10.0.0.2:3868 -i -w 1 --tun-type ipip",
          "-a --sctp-service 10.0.0.1:3868 -r 10.0.0.3:3868 -g -w 2",
          "-A -t 10.0.0.1:80 -s wlc",
          "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -i -w 1",
          "",
        ].join("\n"),
      ).services,
    );
    const fromList = servicesFromListing(
      parseIpvsadmList(
        [
          "IP Virtual Server version 1.2.1 (size=4096)",
          "Prot LocalAddress:Port Scheduler Flags",
          "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
          "SCTP 10.0.0.1:3868 rr",
          "  -> 10.0.0.2:3868                Tunnel  1      0          0",
          "  -> 10.0.0.3:3868                Route   2      0          0",
          "TCP  10.0.0.1:80 wlc",
          "  -> 10.0.0.2:80                  Tunnel  1      0          0",
          "",
        ].join("\n"),
      ).services,
    );
    for (const live of [fromSave, fromList]) {
      expect(live.issues).toEqual([]);
      expect(
        live.services.map((s) => [
          s.protocol,
          s.port,
          s.forwarding,
          s.realservers.map((r) => r.forwarding ?? null),
        ]),
      ).toEqual([
        ["sctp", 3868, "tun", [null, "dr"]],
        ["tcp", 80, "tun", [null]],
      ]);
    }
    expect(normalizeServices(fromList)).toEqual(normalizeServices(fromSave));
  });
});
