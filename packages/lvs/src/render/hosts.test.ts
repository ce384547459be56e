import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { servicesFromListing } from "../live.ts";
import type { ClusterSpec } from "../model.ts";
import { normalizeServices } from "../normalize.ts";
import { parseIpvsadmSave } from "../parse/save.ts";
import {
  renderDirector,
  renderDirectorRemoval,
  renderRealserver,
  renderRealserverRemoval,
} from "./hosts.ts";
import { renderIpvsadmRestore } from "./ipvsadm.ts";

const mixed: ClusterSpec = {
  director: { dip: "10.10.0.1", interface: "eth1", vipInterface: "eth0" },
  services: servicesFromListing(parseIpvsadmSave(fixture("mixed-save.txt")).services).services,
};

/** TUN across a routed network (the realserver is outside the DIP's subnet), TCP and SCTP. */
const tun: ClusterSpec = {
  director: { dip: "10.10.0.1", interface: "eth1", vipInterface: "eth0" },
  services: [
    {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      scheduler: "rr",
      forwarding: "tun",
      realservers: [{ address: "192.168.50.11", port: 80, weight: 1, enabled: true }],
    },
    {
      protocol: "sctp",
      vip: "10.10.0.201",
      port: 3868,
      scheduler: "wlc",
      forwarding: "tun",
      realservers: [{ address: "192.168.50.11", port: 3868, weight: 2, enabled: true }],
    },
  ],
};

describe("rendering", () => {
  it("renders the mixed fixture's table back to the exact ipvsadm-save text", () => {
    expect(renderIpvsadmRestore(mixed)).toBe(fixture("mixed-save.txt"));
    expect(renderIpvsadmRestore({ services: normalizeServices(mixed) })).toBe(
      fixture("mixed-save.txt"),
    );
  });

  it("renders the director: VIPs per mode, forwarding for NAT, the table, persistence", () => {
    const steps = renderDirector(mixed);
    const argv = steps.map((s) => s.argv?.join(" ") ?? s.id);
    expect(argv).toContain("ip addr replace 192.168.77.100/32 dev eth0");
    expect(argv).toContain("ip addr replace 10.10.0.200/32 dev eth1");
    expect(argv).toContain("ip addr replace fd00::200/128 dev eth1");
    expect(argv).toContain("sysctl -w net.ipv4.ip_forward=1");
    expect(argv).toContain("ipvsadm -A -u 10.10.0.200:53 -s sh -b sh-fallback,sh-port");
    expect(argv).toContain("ipvsadm -A -f 7 -s rr");
    const files = steps.flatMap((s) =>
      s.op.kind === "file" && s.op.action === "write" ? [s.op.path] : [],
    );
    expect(files).toEqual([
      "/etc/sysctl.d/90-lvs-panel.conf",
      "/etc/ipvsadm.rules",
      "/etc/default/ipvsadm",
      "/etc/lvs-panel/addresses.sh",
      "/etc/systemd/system/lvs-panel-addresses.service",
    ]);
    const rules = steps.find((s) => s.op.kind === "file" && s.op.path === "/etc/ipvsadm.rules");
    expect(rules?.op).toMatchObject({ content: fixture("mixed-save.txt") });
    expect(steps.every((s) => s.host === "director")).toBe(true);
  });

  it("renders a realserver serving NAT and DR services at once, and its removal", () => {
    const steps = renderRealserver(mixed, "10.10.0.11");
    const argv = steps.flatMap((s) => (s.argv ? [s.argv.join(" ")] : []));
    expect(argv).toEqual([
      "sysctl -w net.ipv4.conf.all.arp_ignore=1",
      "sysctl -w net.ipv4.conf.all.arp_announce=2",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=1",
      "sysctl -w net.ipv4.conf.lo.arp_announce=2",
      "ip addr replace 10.10.0.200/32 dev lo",
      "ip -4 route replace default via 10.10.0.1 table 4100",
      "ip -4 rule add priority 4100 from 10.10.0.11 ipproto 6 sport 80 lookup 4100",
    ]);
    const undo = renderRealserverRemoval(mixed, "10.10.0.11").flatMap((s) =>
      s.argv ? [s.argv.join(" ")] : [],
    );
    expect(undo).toEqual([
      "ip addr del 10.10.0.200/32 dev lo",
      "ip -4 rule del priority 4100 from 10.10.0.11 ipproto 6 sport 80 lookup 4100",
      "ip -4 route del default via 10.10.0.1 table 4100",
      "sysctl -w net.ipv4.conf.all.arp_ignore=0",
      "sysctl -w net.ipv4.conf.all.arp_announce=0",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=0",
      "sysctl -w net.ipv4.conf.lo.arp_announce=0",
    ]);
    const teardown = renderDirectorRemoval(mixed).map((s) => s.argv?.join(" ") ?? "");
    expect(teardown.filter((a) => a.startsWith("ipvsadm")).length).toBe(mixed.services.length);
  });

  it("renders TUN with SCTP: -i and --sctp-service on the director, its VIPs as DR's, no forwarding", () => {
    const argv = renderDirector(tun).flatMap((s) => (s.argv ? [s.argv.join(" ")] : []));
    expect(argv).toEqual([
      "ip addr replace 10.10.0.200/32 dev eth1",
      "ip addr replace 10.10.0.201/32 dev eth1",
      "ipvsadm -A -t 10.10.0.200:80 -s rr",
      "ipvsadm -A --sctp-service 10.10.0.201:3868 -s wlc",
      "ipvsadm -a -t 10.10.0.200:80 -r 192.168.50.11:80 -i -w 1",
      "ipvsadm -a --sctp-service 10.10.0.201:3868 -r 192.168.50.11:3868 -i -w 2",
    ]);
    // ipvsadm-restore reads it back as the same table.
    const saved = parseIpvsadmSave(renderIpvsadmRestore(tun));
    expect(saved.errors).toEqual([]);
    expect(normalizeServices(servicesFromListing(saved.services))).toEqual(normalizeServices(tun));
  });

  it("renders a TUN realserver: ARP restrictions, the VIPs on tunl0 (loading ipip), rp_filter off", () => {
    const steps = renderRealserver(tun, "192.168.50.11");
    const tunnelUp = (vip: string) =>
      [
        "if test -e /sys/class/net/tunl0 || modprobe ipip && test -e /sys/class/net/tunl0",
        `then ip link set tunl0 up && ip addr replace ${vip}/32 dev tunl0`,
        "else echo 'TUN forwarding needs the tunl0 device of the ipip kernel module, and this host cannot load it (modprobe ipip)'; false",
        "fi",
      ].join("\n");
    const runtime = steps.filter((s) => s.op.kind !== "file");
    expect(runtime.map((s) => s.argv?.join(" ") ?? s.script)).toEqual([
      "sysctl -w net.ipv4.conf.all.arp_ignore=1",
      "sysctl -w net.ipv4.conf.all.arp_announce=2",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=1",
      "sysctl -w net.ipv4.conf.lo.arp_announce=2",
      "sysctl -w net.ipv4.conf.all.rp_filter=0",
      tunnelUp("10.10.0.200"),
      tunnelUp("10.10.0.201"),
      // After the first address: tunl0 exists only once ipip is loaded.
      "sysctl -w net.ipv4.conf.tunl0.rp_filter=0",
    ]);
    const written = (path: string) => {
      const op = steps.find((s) => s.op.kind === "file" && s.op.path === path)?.op;
      return op?.kind === "file" && op.action === "write" ? op.content : undefined;
    };
    expect(written("/etc/sysctl.d/90-lvs-panel.conf")).toContain(
      "net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.tunl0.rp_filter = 0\n",
    );
    expect(written("/etc/lvs-panel/addresses.sh")).toContain(
      [
        "  up)",
        "    if test -e /sys/class/net/tunl0 || modprobe ipip && test -e /sys/class/net/tunl0; then ip link set tunl0 up; sysctl -q -w net.ipv4.conf.tunl0.rp_filter=0; fi",
        "    ip addr replace 10.10.0.200/32 dev tunl0",
        "    ip addr replace 10.10.0.201/32 dev tunl0",
        "    ;;",
        "  down)",
        "    ip addr del 10.10.0.200/32 dev tunl0 2>/dev/null",
        "    ip addr del 10.10.0.201/32 dev tunl0 2>/dev/null",
        "    ;;",
      ].join("\n"),
    );
    // Taken down: the VIPs off tunl0 and the ARP restrictions back; rp_filter is left as it is.
    const undo = renderRealserverRemoval(tun, "192.168.50.11").flatMap((s) =>
      s.argv ? [s.argv.join(" ")] : [],
    );
    expect(undo).toEqual([
      "ip addr del 10.10.0.200/32 dev tunl0",
      "ip addr del 10.10.0.201/32 dev tunl0",
      "sysctl -w net.ipv4.conf.all.arp_ignore=0",
      "sysctl -w net.ipv4.conf.all.arp_announce=0",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=0",
      "sysctl -w net.ipv4.conf.lo.arp_announce=0",
    ]);
  });

  it("selects an SCTP NAT realserver's replies by ipproto 132", () => {
    const sctp: ClusterSpec = {
      director: { dip: "10.10.0.1", interface: "eth1" },
      services: [
        {
          protocol: "sctp",
          vip: "192.168.77.100",
          port: 3868,
          scheduler: "rr",
          forwarding: "nat",
          realservers: [{ address: "10.10.0.11", port: 3868, weight: 1, enabled: true }],
        },
      ],
    };
    const argv = renderRealserver(sctp, "10.10.0.11").flatMap((s) =>
      s.argv ? [s.argv.join(" ")] : [],
    );
    expect(argv).toContain(
      "ip -4 rule add priority 4100 from 10.10.0.11 ipproto 132 sport 3868 lookup 4100",
    );
  });

  it("refuses to render an invalid spec", () => {
    const bad = structuredClone(mixed);
    (bad.services[0] as { vip: string }).vip = "$(reboot)";
    expect(() => renderDirector(bad)).toThrow(/INVALID|valid/);
  });
});
