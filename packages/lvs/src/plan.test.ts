import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixtures.ts";
import { servicesFromListing } from "./live.ts";
import type { ClusterSpec, ServiceSpec } from "./model.ts";
import { parseIpvsadmSave } from "./parse/save.ts";
import { stateFromSpec } from "./plan/cluster-state.ts";
import { planCluster } from "./plan.ts";

const director = { dip: "10.10.0.1", interface: "eth1", vipInterface: "eth0" };
const rs = (address: string, port = 80, weight = 1) => ({ address, port, weight, enabled: true });
const web = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  protocol: "tcp",
  vip: "10.10.0.200",
  port: 80,
  scheduler: "rr",
  forwarding: "dr",
  realservers: [rs("10.10.0.11"), rs("10.10.0.12")],
  ...over,
});
const cluster = (...services: ServiceSpec[]): ClusterSpec => ({ director, services });
const argvs = (plan: ReturnType<typeof planCluster>) =>
  plan.steps.filter((s) => s.argv).map((s) => s.argv?.join(" "));
const ipvs = (plan: ReturnType<typeof planCluster>) =>
  argvs(plan).filter((a) => a?.startsWith("ipvsadm"));

describe("planCluster", () => {
  it("changes only the weight in place with -e", () => {
    const a = cluster(web());
    const b = cluster(web({ realservers: [rs("10.10.0.11", 80, 5), rs("10.10.0.12")] }));
    const plan = planCluster(a, b);
    expect(ipvs(plan)).toEqual(["ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 5"]);
    expect(plan.summary.servicesChanged).toEqual(["TCP 10.10.0.200:80"]);
  });

  it("changes scheduler and persistence with a full -E", () => {
    const plan = planCluster(cluster(web()), cluster(web({ scheduler: "wlc", persistence: 60 })));
    expect(ipvs(plan)).toEqual(["ipvsadm -E -t 10.10.0.200:80 -s wlc -p 60"]);
  });

  it("deletes and re-adds when the port changes, deleting first", () => {
    const plan = planCluster(
      cluster(web()),
      cluster(web({ port: 8080, realservers: [rs("10.10.0.11", 8080)] })),
    );
    expect(ipvs(plan)).toEqual([
      "ipvsadm -D -t 10.10.0.200:80",
      "ipvsadm -A -t 10.10.0.200:8080 -s rr",
      "ipvsadm -a -t 10.10.0.200:8080 -r 10.10.0.11:8080 -g -w 1",
    ]);
    expect(plan.summary.servicesAdded).toEqual(["TCP 10.10.0.200:8080"]);
    expect(plan.summary.servicesRemoved).toEqual(["TCP 10.10.0.200:80"]);
  });

  it("treats a disabled realserver as weight 0, not a removal", () => {
    const b = cluster(
      web({ realservers: [{ ...rs("10.10.0.11"), enabled: false }, rs("10.10.0.12")] }),
    );
    expect(ipvs(planCluster(cluster(web()), b))).toEqual([
      "ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 0",
    ]);
  });

  it("drains before removing, then removes the VIP from lo after the director stopped", () => {
    const plan = planCluster(cluster(web()), cluster(web({ realservers: [rs("10.10.0.12")] })), {
      drain: true,
    });
    expect(plan.phases.map((p) => p.phase)).toEqual([
      "drain",
      "director-remove",
      "cleanup",
      "persist",
    ]);
    expect(argvs(plan)).toEqual([
      "ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 0",
      "ipvsadm -d -t 10.10.0.200:80 -r 10.10.0.11:80",
      "ip addr del 10.10.0.200/32 dev lo",
      "sysctl -w net.ipv4.conf.all.arp_ignore=0",
      "sysctl -w net.ipv4.conf.all.arp_announce=0",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=0",
      "sysctl -w net.ipv4.conf.lo.arp_announce=0",
    ]);
    const rm = plan.hosts.find((h) => h.host !== "director");
    expect(rm?.steps.filter((s) => s.op.kind === "file").map((s) => s.id)).toEqual([
      "rs:10.10.0.11:file:remove:/etc/systemd/system/lvs-panel-addresses.service",
      "rs:10.10.0.11:file:remove:/etc/lvs-panel/addresses.sh",
      "rs:10.10.0.11:file:remove:/etc/sysctl.d/90-lvs-panel.conf",
    ]);
  });

  it("sets up a DR realserver: ARP sysctls, then VIP on lo, then the director adds it", () => {
    const plan = planCluster(cluster(web({ realservers: [rs("10.10.0.11")] })), cluster(web()));
    expect(argvs(plan)).toEqual([
      "sysctl -w net.ipv4.conf.all.arp_ignore=1",
      "sysctl -w net.ipv4.conf.all.arp_announce=2",
      "sysctl -w net.ipv4.conf.lo.arp_ignore=1",
      "sysctl -w net.ipv4.conf.lo.arp_announce=2",
      "ip addr replace 10.10.0.200/32 dev lo",
      "ipvsadm -a -t 10.10.0.200:80 -r 10.10.0.12:80 -g -w 1",
    ]);
  });

  it("gives NAT realservers a source-selected return route, never a new default route", () => {
    const nat = web({
      vip: "192.168.77.100",
      forwarding: "nat",
      realservers: [rs("10.10.0.11", 8080)],
    });
    const plan = planCluster({ director: null, services: [] }, cluster(nat));
    const all = argvs(plan);
    expect(all).toContain("sysctl -w net.ipv4.ip_forward=1");
    expect(all).toContain("ip addr replace 192.168.77.100/32 dev eth0");
    expect(all).toContain("ip -4 route replace default via 10.10.0.1 table 4100");
    expect(all).toContain(
      "ip -4 rule add priority 4100 from 10.10.0.11 ipproto 6 sport 8080 lookup 4100",
    );
    for (const a of all) expect(a).not.toMatch(/^ip (-4 )?route (replace|add) default via \S+$/);
  });

  it("switches NAT to DR in place: prepare DR, -e to -g, then drop the NAT route", () => {
    const nat = cluster(web({ forwarding: "nat" }));
    const dr = cluster(web());
    const plan = planCluster(nat, dr);
    const all = argvs(plan);
    const lo = all.indexOf("ip addr replace 10.10.0.200/32 dev lo");
    const edit = all.indexOf("ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 1");
    const rule = all.indexOf(
      "ip -4 rule del priority 4100 from 10.10.0.11 ipproto 6 sport 80 lookup 4100",
    );
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThan(edit);
    expect(edit).toBeLessThan(rule);
    expect(all.some((a) => a?.startsWith("ipvsadm -D") || a?.startsWith("ipvsadm -d"))).toBe(false);
    expect(plan.summary.lines).toContain("switch TCP 10.10.0.200:80 from NAT to DR");
    expect(all).toContain("sysctl -w net.ipv4.ip_forward=0");
  });

  it("returns validation errors and no steps for an invalid spec", () => {
    const plan = planCluster(cluster(web()), cluster(web({ realservers: [rs("10.10.0.11", 81)] })));
    expect(plan.errors.map((e) => e.code)).toEqual(["DR_PORT_MISMATCH"]);
    expect(plan.steps).toEqual([]);
  });

  it("passes validation warnings through", () => {
    const many = Array.from({ length: 6 }, (_, i) => rs(`10.10.0.${20 + i}`));
    const nat = web({ forwarding: "nat", vip: "192.168.77.100", realservers: many });
    const plan = planCluster(cluster(), cluster(nat));
    expect(plan.warnings.map((w) => w.code)).toEqual(["NAT_TOO_MANY_REALSERVERS"]);
  });

  it("plans nothing for the IPVS table when the live table already matches", () => {
    const live = servicesFromListing(parseIpvsadmSave(fixture("mixed-save.txt")).services).services;
    const desired: ClusterSpec = { director, services: live };
    const current = { ...stateFromSpec(desired), services: live };
    expect(ipvs(planCluster(current, desired))).toEqual([]);
    // The same table with one weight changed becomes exactly one -e.
    const changed = structuredClone(live);
    (changed[2]?.realservers[2] as { weight: number }).weight = 2;
    expect(ipvs(planCluster(current, { director, services: changed }))).toEqual([
      "ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.13:80 -g -w 2",
    ]);
  });

  it("never removes addresses that are not VIPs (DIP, loopback, other tools')", () => {
    const state = stateFromSpec(cluster(web()));
    const rsHost = state.hosts.realservers["10.10.0.11"];
    rsHost?.addresses.push(
      { dev: "lo", address: "127.0.0.1", prefix: 8 },
      { dev: "lo", address: "10.99.0.1", prefix: 32 },
      { dev: "eth0", address: "10.10.0.11", prefix: 24 },
    );
    const plan = planCluster(state, cluster());
    const dels = argvs(plan).filter((a) => a?.startsWith("ip addr del"));
    // Only the VIP goes: from the director's interface and from lo on both realservers.
    expect([...dels].sort()).toEqual([
      "ip addr del 10.10.0.200/32 dev eth1",
      "ip addr del 10.10.0.200/32 dev lo",
      "ip addr del 10.10.0.200/32 dev lo",
    ]);
    expect(dels.some((d) => /127\.0\.0\.1|10\.99\.0\.1|10\.10\.0\.11\//.test(d ?? ""))).toBe(false);
  });
});
