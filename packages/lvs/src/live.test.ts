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
    const listed = parseIpvsadmSave(
      "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -i -w 1\n",
    );
    const live = servicesFromListing(listed.services);
    expect(live.issues.map((i) => i.code)).toEqual(["UNSUPPORTED_FORWARDING"]);
  });
});
