import { describe, expect, it } from "vitest";
import type { ClusterSpec } from "../model.ts";
import { stateFromSpec } from "../plan/cluster-state.ts";
import { planCluster } from "../plan.ts";
import { hostArgv } from "../render/host-commands.ts";
import {
  hostReadCommands,
  hostStateFromReadback,
  parseIpAddrShow,
  parseIpRuleShow,
  parseRuleProtocol,
} from "./parse.ts";
import { ADDRESS_SCRIPT_FILE, ruleKey } from "./state.ts";

const spec = {
  director: { dip: "10.10.0.1", interface: "eth1" },
  services: [
    {
      protocol: "tcp" as const,
      vip: "10.10.0.200",
      port: 80,
      scheduler: "rr" as const,
      forwarding: "dr" as const,
      realservers: [{ address: "10.10.0.11", port: 80, weight: 1, enabled: true }],
    },
  ],
};

describe("host read-back", () => {
  it("parses ip -o addr, keeping device names without @peer", () => {
    const r = parseIpAddrShow(
      [
        "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
        "1: lo    inet 10.10.0.200/32 scope global lo\\       valid_lft forever preferred_lft forever",
        "1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever",
        "5: eth0@if6    inet 10.10.0.11/24 brd 10.10.0.255 scope global eth0\\       valid_lft forever",
        "garbage",
      ].join("\n"),
    );
    expect(r.value).toEqual([
      { dev: "lo", address: "127.0.0.1", prefix: 8 },
      { dev: "lo", address: "10.10.0.200", prefix: 32 },
      { dev: "lo", address: "::1", prefix: 128 },
      { dev: "eth0", address: "10.10.0.11", prefix: 24 },
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([5]);
  });

  it("parses ip rule output including named tables", () => {
    const r = parseIpRuleShow(
      "0:\tfrom all lookup local\n4100:\tfrom 10.10.0.11 ipproto tcp sport 80 lookup 4100\n32766:\tfrom all lookup main\n",
      4,
    );
    expect(r.value.map((x) => [x.priority, x.table])).toEqual([
      [0, 255],
      [4100, 4100],
      [32766, 254],
    ]);
    expect(r.value[1]).toMatchObject({ from: "10.10.0.11", ipproto: "tcp", sport: 80 });
  });

  it("reads a rule's protocol in all three forms iproute2 prints, as one rule", () => {
    // With /etc/protocols: the name. Without it (no netbase): ipproto-6. Older iproute2: 6.
    const forms = ["tcp", "ipproto-6", "6"].map(
      (p) =>
        parseIpRuleShow(`4100:\tfrom 10.10.0.12 ipproto ${p} sport 80 lookup 4100\n`, 4).value[0],
    );
    for (const rule of forms) {
      expect(rule).toEqual({
        family: 4,
        priority: 4100,
        from: "10.10.0.12",
        ipproto: "tcp",
        sport: 80,
        table: 4100,
      });
    }
    expect(parseRuleProtocol("ipproto-17")).toBe("udp");
    expect(parseRuleProtocol("132")).toBe("sctp");
    // Not ours: kept as printed, so a rule for another protocol never equals one of ours.
    expect(parseRuleProtocol("ipproto-47")).toBe(47);
    expect(parseRuleProtocol("gre")).toBe("gre");
  });

  it("a NAT rule written by number reads back equal to the desired rule, with or without netbase", () => {
    const desired = stateFromSpec({
      ...spec,
      services: spec.services.map((s) => ({ ...s, forwarding: "nat" as const })),
    }).hosts.realservers["10.10.0.11"];
    const rule = desired?.rules[0];
    expect(rule).toBeDefined();
    if (!rule) return;
    const argv = hostArgv.addRule(rule);
    expect(argv.slice(argv.indexOf("ipproto"), argv.indexOf("ipproto") + 2)).toEqual([
      "ipproto",
      "6",
    ]);
    for (const printed of ["tcp", "ipproto-6"]) {
      const back = parseIpRuleShow(
        `4100:\tfrom ${rule.from} ipproto ${printed} sport ${rule.sport} lookup 4100\n`,
        4,
      ).value;
      expect(back.map(ruleKey)).toEqual([ruleKey(rule)]);
    }
  });

  it("a host read back as configured needs no steps; a lost VIP is re-added", () => {
    const desired = stateFromSpec(spec);
    const rsState = desired.hosts.realservers["10.10.0.11"];
    const outputs = {
      sysctl:
        "net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\nnet.ipv4.conf.lo.arp_ignore = 1\nnet.ipv4.conf.lo.arp_announce = 2\n",
      addresses:
        "1: lo    inet 127.0.0.1/8 scope host lo\\ x\n1: lo    inet 10.10.0.200/32 scope global lo\\ x\n",
      rules4: "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n",
      rules6: "",
      routes4: "",
      routes6: "",
      ...Object.fromEntries(Object.entries(rsState?.files ?? {}).map(([p, c]) => [`file:${p}`, c])),
    };
    expect(hostReadCommands("realserver").map((c) => c.id)).toEqual(
      expect.arrayContaining(Object.keys(outputs)),
    );
    const read = hostStateFromReadback("realserver", outputs);
    expect(read.errors).toEqual([]);
    expect(read.state.files[ADDRESS_SCRIPT_FILE]).toBeDefined();
    const live = {
      ...desired,
      hosts: { ...desired.hosts, realservers: { "10.10.0.11": read.state } },
    };
    expect(planCluster(live, spec).steps).toEqual([]);
    const lost = hostStateFromReadback("realserver", { ...outputs, addresses: "" }).state;
    const again = planCluster(
      { ...live, hosts: { ...live.hosts, realservers: { "10.10.0.11": lost } } },
      spec,
    );
    expect(again.steps.map((s) => s.argv?.join(" "))).toEqual([
      "ip addr replace 10.10.0.200/32 dev lo",
    ]);
  });

  it("reads TUN's rp_filter as far as the host has it, and sets it only where TUN needs it", () => {
    // sysctl -e: a key that does not exist (tunl0 before ipip is loaded) is only left out.
    const read = hostReadCommands("realserver").find((c) => c.id === "sysctl");
    expect(read && "argv" in read ? read.argv.slice(0, 2) : null).toEqual(["sysctl", "-e"]);
    expect(read && "argv" in read ? read.argv : []).toContain("net.ipv4.conf.tunl0.rp_filter");
    const arp =
      "net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\nnet.ipv4.conf.lo.arp_ignore = 1\nnet.ipv4.conf.lo.arp_announce = 2\n";
    const noTunnel = hostStateFromReadback("realserver", {
      sysctl: `${arp}net.ipv4.conf.all.rp_filter = 2\n`,
    }).state.sysctls;
    expect(noTunnel["net.ipv4.conf.all.rp_filter"]).toBe("2");
    expect(Object.hasOwn(noTunnel, "net.ipv4.conf.tunl0.rp_filter")).toBe(false);
    expect(
      parseIpAddrShow(
        "7: tunl0    inet 10.10.0.200/32 scope global tunl0\\       valid_lft forever preferred_lft forever",
      ).value,
    ).toEqual([{ dev: "tunl0", address: "10.10.0.200", prefix: 32 }]);

    const tun: ClusterSpec = {
      ...spec,
      services: spec.services.map((s) => ({ ...s, forwarding: "tun" as const })),
    };
    const desired = stateFromSpec(tun).hosts.realservers["10.10.0.11"];
    const outputs = {
      sysctl: `${arp}net.ipv4.conf.all.rp_filter = 2\n`,
      addresses: "1: lo    inet 127.0.0.1/8 scope host lo\\ x\n",
      ...Object.fromEntries(Object.entries(desired?.files ?? {}).map(([p, c]) => [`file:${p}`, c])),
    };
    const live = (out: typeof outputs, s: ClusterSpec) => ({
      ...stateFromSpec(s),
      hosts: {
        director: stateFromSpec(s).hosts.director,
        realservers: { "10.10.0.11": hostStateFromReadback("realserver", out).state },
      },
    });
    // ARP is set already: rp_filter goes off everywhere, tunl0's after the VIP brings it up.
    const steps = planCluster(live(outputs, tun), tun).steps.filter((s) => s.host !== "director");
    expect(steps.map((s) => s.description)).toEqual([
      "Set net.ipv4.conf.all.rp_filter=0",
      "Add 10.10.0.200/32 on tunl0",
      "Set net.ipv4.conf.tunl0.rp_filter=0",
    ]);
    // Once there, the read-back plans nothing more.
    const there = {
      ...outputs,
      sysctl: `${arp}net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.tunl0.rp_filter = 0\n`,
      addresses: "7: tunl0    inet 10.10.0.200/32 scope global tunl0\\ x\n",
    };
    expect(planCluster(live(there, tun), tun).steps).toEqual([]);
    // Back to DR: the VIP moves from tunl0 to lo; rp_filter stays as the host has it.
    const back = planCluster(live(there, spec), spec).steps.filter((s) => s.host !== "director");
    expect(back.flatMap((s) => (s.op.kind === "sysctl" ? [s.op.key] : []))).toEqual([]);
    expect(back.filter((s) => s.op.kind === "address").map((s) => s.description)).toEqual([
      "Add 10.10.0.200/32 on lo",
      "Remove 10.10.0.200/32 from tunl0",
    ]);
  });
});
