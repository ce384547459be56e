import { describe, expect, it } from "vitest";
import { emptyHostState } from "../host/state.ts";
import type { ClusterSpec, HaSpec, ServiceSpec } from "../model.ts";
import { renderKeepalivedConf } from "../render/keepalived-conf.ts";
import { validateCluster } from "../validate.ts";
import { type ClusterState, stateFromSpec } from "./cluster-state.ts";
import { planKeepalived } from "./keepalived-plan.ts";

const service = (forwarding: "dr" | "nat", vip: string): ServiceSpec => ({
  protocol: "tcp",
  vip,
  port: 80,
  scheduler: "rr",
  forwarding,
  realservers: [11, 12, 13].map((n) => ({
    address: `10.10.0.${n}`,
    port: 80,
    weight: 1,
    enabled: true,
  })),
});

const ha: HaSpec = {
  virtualRouterId: 51,
  advertIntervalSeconds: 1,
  unicast: true,
  preempt: true,
  floatingGateway: "10.10.0.254",
  connectionSync: true,
};

const first = { dip: "10.10.0.1", interface: "lan0", vipInterface: "wan0", priority: 150 };
const second = { dip: "10.10.0.2", interface: "lan0", vipInterface: "wan0", priority: 100 };

const pair = (services: ServiceSpec[], over: Partial<ClusterSpec> = {}): ClusterSpec => ({
  engine: "keepalived",
  director: first,
  peer: second,
  ha,
  services,
  ...over,
});

const running = (conf: string) => ({ pid: 4242, conf, foreignConf: false });

/** Both directors as they are once `applied` ran, the master holding the VRRP addresses. */
function applied(spec: ClusterSpec): ClusterState {
  const s = stateFromSpec(spec);
  const master = s.hosts.director ?? emptyHostState("director");
  master.addresses.push(
    { dev: "wan0", address: "192.168.77.100", prefix: 32 },
    { dev: "lan0", address: "10.10.0.254", prefix: 24 },
  );
  const peerSpec = { ...spec, director: spec.peer ?? null, peer: spec.director };
  const peerState = stateFromSpec(peerSpec);
  return {
    ...s,
    keepalived: running(renderKeepalivedConf(spec)),
    peer: {
      services: peerState.services,
      host: peerState.hosts.director ?? emptyHostState("director"),
      keepalived: running(renderKeepalivedConf(peerSpec)),
    },
  };
}

describe("a VRRP pair of directors", () => {
  const nat = pair([service("nat", "192.168.77.100")]);

  it("renders one instance per director: its own priority and unicast peer, the VIPs excluded from adverts", () => {
    const a = renderKeepalivedConf(nat);
    const b = renderKeepalivedConf({ ...nat, director: second, peer: first });
    expect(a).toContain("    state MASTER\n");
    expect(b).toContain("    state BACKUP\n");
    expect(a).toContain("    priority 150\n");
    expect(b).toContain("    priority 100\n");
    expect(a).toContain("    unicast_src_ip 10.10.0.1\n    unicast_peer {\n        10.10.0.2\n");
    expect(b).toContain("    unicast_src_ip 10.10.0.2\n    unicast_peer {\n        10.10.0.1\n");
    // The floating gateway is the advert's one address; the VIP is excluded from adverts.
    expect(a).toContain("    virtual_ipaddress {\n        10.10.0.254/24 dev lan0\n    }");
    expect(a).toContain("virtual_ipaddress_excluded {\n        192.168.77.100/32 dev wan0\n");
    expect(a).toContain("    lvs_sync_daemon lan0 lvs_panel_51 id 51\n");
    expect(a).toContain("    track_interface {\n        wan0\n");
    // The virtual_server sections are the same on both.
    const servers = (conf: string) => conf.slice(conf.indexOf("virtual_server"));
    expect(servers(a)).toBe(servers(b));
  });

  it("without preemption both start as BACKUP with nopreempt, and sync off drops the daemon", () => {
    const conf = renderKeepalivedConf({
      ...nat,
      ha: { ...ha, preempt: false, connectionSync: false },
    });
    expect(conf).toContain("    state BACKUP\n");
    expect(conf).toContain("    nopreempt\n");
    expect(conf).not.toContain("lvs_sync_daemon");
  });

  it("from nothing: both candidates checked before either loads; no `ip addr` for VRRP's addresses", () => {
    const empty: ClusterState = {
      services: [],
      hosts: { director: emptyHostState("director"), realservers: {} },
      peer: { services: [], host: emptyHostState("director") },
    };
    const plan = planKeepalived(empty, nat);
    expect(plan.errors).toEqual([]);
    const ids = plan.steps.map((s) => s.id);
    const checkA = ids.indexOf("director:keepalived:check");
    const checkB = ids.indexOf("director2:keepalived:check");
    const loadA = ids.indexOf("director:keepalived:load");
    const loadB = ids.indexOf("director2:keepalived:load");
    expect(Math.max(checkA, checkB)).toBeLessThan(Math.min(loadA, loadB));
    expect(
      plan.phases
        .find((p) => p.phase === "prepare")
        ?.steps.slice(0, 2)
        .map((s) => s.id),
    ).toEqual(["director:keepalived:check", "director2:keepalived:check"]);
    const directorAddresses = plan.steps.filter(
      (s) => typeof s.host === "string" && s.op.kind === "address",
    );
    expect(directorAddresses).toEqual([]);
    // The realservers' NAT replies go to the floating gateway, once per realserver.
    const routes = plan.steps.filter((s) => s.op.kind === "route");
    expect(routes).toHaveLength(3);
    for (const r of routes) expect(r.description).toContain("10.10.0.254");
    expect(plan.steps.some((s) => s.host === "director2" && s.op.kind === "sysctl")).toBe(true);
  });

  it("applied: nothing left to do, whichever director holds the addresses", () => {
    expect(planKeepalived(applied(nat), nat).steps).toEqual([]);
  });

  it("a VIP added reloads both directors, and never adds it with ip", () => {
    const grown = pair([...nat.services, service("nat", "192.168.77.101")]);
    const plan = planKeepalived(applied(nat), grown);
    const loads = plan.steps.filter((s) => s.op.kind === "keepalived").map((s) => s.id);
    expect(loads).toEqual(["director:keepalived:load", "director2:keepalived:load"]);
    expect(plan.steps.filter((s) => typeof s.host === "string" && s.op.kind === "address")).toEqual(
      [],
    );
  });

  it("the second director removed: its keepalived stops before the first reloads, its services go", () => {
    const single: ClusterSpec = { ...nat, peer: null };
    const plan = planKeepalived(applied(nat), single);
    const stop = plan.steps.findIndex((s) => s.id === "director2:keepalived:stop");
    const reload = plan.steps.findIndex((s) => s.id === "director:keepalived:load");
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(stop).toBeLessThan(reload);
    expect(plan.steps.some((s) => s.host === "director2" && s.op.kind === "ipvsadm")).toBe(true);
    // Unicast: the first director's instance changes key, and the plan says what that costs.
    expect(plan.warnings.map((w) => w.code)).toContain("VRRP_INSTANCE_RECREATED");
    const multicast = { ...ha, unicast: false };
    const viaMulticast = planKeepalived(applied({ ...nat, ha: multicast }), {
      ...single,
      ha: multicast,
    });
    expect(viaMulticast.warnings.map((w) => w.code)).not.toContain("VRRP_INSTANCE_RECREATED");
  });

  it("one director to a NAT pair: the realservers' route moves to the gateway only after the loads", () => {
    const single: ClusterSpec = { ...nat, engine: "keepalived", peer: null, ha: null };
    const before = stateFromSpec(single);
    const now: ClusterState = {
      ...before,
      keepalived: running(renderKeepalivedConf(single)),
      peer: { services: [], host: emptyHostState("director") },
    };
    const plan = planKeepalived(now, nat);
    const ids = plan.steps.map((s) => s.id);
    const lastLoad = Math.max(
      ids.indexOf("director:keepalived:load"),
      ids.indexOf("director2:keepalived:load"),
    );
    const routes = plan.steps.map((s, i) => ({ s, i })).filter(({ s }) => s.op.kind === "route");
    expect(routes).toHaveLength(3);
    for (const { s, i } of routes) {
      expect(s.op).toMatchObject({ action: "add", route: { via: "10.10.0.254" } });
      expect(i).toBeGreaterThan(lastLoad);
    }
    // The VIP the panel had put on with ip is now VRRP's: no address step removes it.
    expect(plan.steps.filter((s) => s.op.kind === "address")).toEqual([]);
  });

  it("connection sync turned off stops the kernel's sync daemons on both (a reload leaves them)", () => {
    const off = pair(nat.services, { ha: { ...ha, connectionSync: false } });
    const ids = planKeepalived(applied(nat), off).steps.map((s) => s.id);
    expect(ids).toContain("director:ipvs:sync:stop");
    expect(ids).toContain("director2:ipvs:sync:stop");
    expect(ids.indexOf("director:ipvs:sync:stop")).toBeGreaterThan(
      ids.indexOf("director:keepalived:load"),
    );
  });

  it("ha removed from a single director: the VIPs go back on with ip after the reload drops them", () => {
    const single: ClusterSpec = { ...nat, peer: null };
    const now = applied(single);
    delete now.peer;
    const plan = planKeepalived(now, { ...single, ha: null });
    const ids = plan.steps.map((s) => s.id);
    const reload = ids.indexOf("director:keepalived:load");
    const add = plan.steps.findIndex(
      (s) => s.host === "director" && s.op.kind === "address" && s.op.action === "add",
    );
    expect(reload).toBeGreaterThanOrEqual(0);
    expect(add).toBeGreaterThan(reload);
    expect(plan.phases.find((p) => p.phase === "cleanup")?.steps[0]?.description).toContain(
      "192.168.77.100",
    );
  });

  it("validation: NAT with two directors needs a floating gateway on the segment; pairs need keepalived", () => {
    const noGateway = validateCluster({ ...nat, ha: { ...ha, floatingGateway: null } });
    expect(noGateway.errors.map((e) => e.field)).toContain("ha.floatingGateway");
    const offSegment = validateCluster({ ...nat, ha: { ...ha, floatingGateway: "10.99.0.1" } });
    expect(offSegment.errors.find((e) => e.code === "GATEWAY_SUBNET")?.message).toContain(
      "10.10.0.1/24",
    );
    const ipvsadm = validateCluster({ ...nat, engine: "ipvsadm" });
    expect(ipvsadm.errors.map((e) => e.code)).toContain("HA_NEEDS_KEEPALIVED");
    const samePriority = validateCluster({ ...nat, peer: { ...second, priority: 150 } });
    expect(samePriority.errors.map((e) => e.code)).toContain("SAME_PRIORITY");
    const dr = validateCluster(
      pair([service("dr", "10.10.0.200")], { ha: { ...ha, floatingGateway: null } }),
    );
    expect(dr.errors).toEqual([]);
  });
});
