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

  it("refuses to render an invalid spec", () => {
    const bad = structuredClone(mixed);
    (bad.services[0] as { vip: string }).vip = "$(reboot)";
    expect(() => renderDirector(bad)).toThrow(/INVALID|valid/);
  });
});
