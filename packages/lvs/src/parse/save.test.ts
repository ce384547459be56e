import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { parseIpvsadmArgs } from "./ipvsadm-args.ts";
import { parseIpvsadmList } from "./list.ts";
import { parseIpvsadmSave } from "./save.ts";

/** The fields -Ln and ipvsadm-save both carry, to check the two readings agree. */
function shape(services: ReturnType<typeof parseIpvsadmSave>["services"]) {
  return services.map((s) => ({
    key: [
      s.protocol,
      s.address,
      s.port,
      s.fwmark,
      s.family,
      s.scheduler,
      s.schedulerFlags.join(","),
    ],
    persistence: [s.persistence, s.persistenceNetmask],
    rs: s.realservers.map((r) => [r.address, r.port, r.forwarding, r.weight]),
  }));
}

describe("parseIpvsadmSave", () => {
  it("agrees with the -Ln listing of the same table", () => {
    for (const [save, list] of [
      ["mixed-save.txt", "mixed-Ln.txt"],
      ["dr-save.txt", "dr-Ln.txt"],
    ] as const) {
      const s = parseIpvsadmSave(fixture(save));
      expect(s.errors).toEqual([]);
      expect(shape(s.services)).toEqual(shape(parseIpvsadmList(fixture(list)).services));
    }
  });

  it("reads flags, netmask and IPv6 fwmark services", () => {
    const s = parseIpvsadmSave(fixture("mixed-save.txt"));
    expect(s.services[1]).toMatchObject({ persistence: 60, persistenceNetmask: "255.255.255.0" });
    expect(s.services[4]?.schedulerFlags).toEqual(["sh-fallback", "sh-port"]);
    const v6 = parseIpvsadmSave("-A -f 9 -6 -s rr\n-a -f 9 -6 -r [fd00::11]:0 -g -w 1\n");
    expect(v6.errors).toEqual([]);
    expect(v6.services[0]).toMatchObject({ fwmark: 9, family: 6 });
  });

  it("reports lines that are not -A/-a or do not parse", () => {
    const s = parseIpvsadmSave(
      "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.9:80 -r 10.0.0.2:80 -g\n-Z\n-a -t 10.0.0.1:80 -r nope -g\n",
    );
    expect(s.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, "realserver for a service not added before it"],
      [3, 'unknown argument "-Z"'],
      [4, 'bad realserver address "nope"'],
    ]);
  });
});

describe("parseIpvsadmArgs", () => {
  it("treats -p without a number as the 300 s default", () => {
    expect(parseIpvsadmArgs(["-A", "-t", "10.0.0.1:80", "-p", "-s", "rr"])).toMatchObject({
      persistence: 300,
      scheduler: "rr",
    });
    expect(parseIpvsadmArgs(["-E", "-t", "10.0.0.1:80", "-p", "60"])).toMatchObject({
      kind: "edit-service",
      persistence: 60,
    });
  });
  it("rejects two commands and missing services", () => {
    expect(parseIpvsadmArgs(["-A", "-D", "-t", "10.0.0.1:80"])).toBe("two commands: -D");
    expect(parseIpvsadmArgs(["-A", "-s", "rr"])).toBe("no service (-t/-u/-f)");
  });

  it("reads SCTP services and tunnel realservers with ipvsadm 1.31's --tun-type options", () => {
    const saved = parseIpvsadmSave(
      [
        "-A --sctp-service 10.0.0.1:3868 -s rr",
        "-a --sctp-service 10.0.0.1:3868 -r 10.0.0.2:3868 -i -w 1 --tun-type ipip",
        "-a --sctp-service 10.0.0.1:3868 -r 10.0.0.3:3868 -i -w 1 --tun-type gue --tun-port 6080 --tun-remcsum",
        "-a --sctp-service 10.0.0.1:3868 -r 10.0.0.4:3868 -i -w 1 --tun-type gre --tun-csum",
        "",
      ].join("\n"),
    );
    expect(saved.errors).toEqual([]);
    expect(saved.services[0]?.protocol).toBe("sctp");
    expect(saved.services[0]?.realservers.map((r) => [r.forwarding, r.tunnel])).toEqual([
      ["tunnel", { type: "ipip" }],
      ["tunnel", { type: "gue", port: 6080, checksum: "remcsum" }],
      ["tunnel", { type: "gre", checksum: "csum" }],
    ]);
    expect(
      parseIpvsadmArgs([
        "-a",
        "-t",
        "10.0.0.1:80",
        "-r",
        "10.0.0.2:80",
        "-i",
        "--tun-type",
        "vxlan",
      ]),
    ).toBe('bad tunnel type "vxlan"');
  });
});
