import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterSpec } from "../../test/arbitraries.ts";
import { IPVSADM_DEFAULTS_FILE, IPVSADM_RULES_FILE } from "../host/state.ts";
import type { ClusterSpec, ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";
import { parseIpvsadmSave } from "../parse/save.ts";
import { planCluster } from "../plan.ts";
import { renderIpvsadmRestore } from "../render/ipvsadm.ts";
import { applyPlanToState } from "./apply.ts";
import { type ClusterState, stateFromSpec } from "./cluster-state.ts";
import { managedServices, type Ownership, ownershipKey, partitionTable } from "./ownership.ts";

const director = { dip: "10.10.0.1", interface: "lan0", vipInterface: "wan0" };

const svc = (vip: string, port: number, rs: string[], forwarding: "nat" | "dr" = "nat") =>
  ({
    protocol: "tcp",
    vip,
    port,
    scheduler: "rr",
    forwarding,
    realservers: rs.map((address) => ({ address, port, weight: 1, enabled: true })),
  }) satisfies ServiceSpec;

/** The table as `ipvsadm -S -n` lists these services. */
const listed = (services: ServiceSpec[]) =>
  parseIpvsadmSave(renderIpvsadmRestore({ services })).services;

/** The director as read: `owned` services applied by the cluster, `foreign` ones beside them. */
function directorWith(owned: ServiceSpec[], foreign: ServiceSpec[], own: Partial<Ownership> = {}) {
  const state = stateFromSpec({ director, services: owned });
  const all = [...owned, ...foreign];
  const part = partitionTable(listed(all), {
    owned: new Set(owned.map(ownershipKey)),
    others: new Map(),
    ...own,
  });
  const read: ClusterState = {
    ...state,
    services: managedServices(all, part),
    kept: part.kept,
    takenOver: part.takenOver,
  };
  return { read, full: { ...state, services: all } };
}

const keyOf = (s: ServiceSpec) => ownershipKey(s);

describe("partitionTable", () => {
  it("keeps what the cluster does not own, names the other cluster, and takes over only foreign services", () => {
    const mine = svc("10.0.0.1", 80, ["10.10.0.11"]);
    const theirs = svc("10.0.0.2", 80, ["10.10.0.12"]);
    const foreign = svc("10.0.0.3", 53, ["10.10.0.13"]);
    const own = { owned: new Set([keyOf(mine)]), others: new Map([[keyOf(theirs), "blue"]]) };
    const table = listed([mine, theirs, foreign]);
    const plain = partitionTable(table, own);
    expect(managedServices([mine, theirs, foreign], plain)).toEqual([mine]);
    expect(plain.kept).toEqual([
      {
        key: keyOf(theirs),
        label: "TCP 10.0.0.2:80",
        owner: "blue",
        vip: "10.0.0.2",
        natFamilies: [4],
        saveLines: ["-A -t 10.0.0.2:80 -s rr", "-a -t 10.0.0.2:80 -r 10.10.0.12:80 -m -w 1"],
      },
      expect.objectContaining({ label: "TCP 10.0.0.3:53", owner: null }),
    ]);
    const takeover = partitionTable(table, { ...own, removeForeign: true });
    expect(managedServices([mine, theirs, foreign], takeover)).toEqual([mine, foreign]);
    expect(takeover.kept.map((k) => k.owner)).toEqual(["blue"]);
    expect(takeover.takenOver).toEqual(["TCP 10.0.0.3:53"]);
  });

  it("keeps, line for line, what the model cannot hold: SCTP, tunnels, -o and --pe", () => {
    const save = [
      "-A --sctp-service 10.0.0.5:5000 -s rr",
      "-a --sctp-service 10.0.0.5:5000 -r 10.10.0.11:5000 -g -w 1",
      "-A -u 10.0.0.6:5060 -s rr -p 60 -o --pe sip",
      "-a -u 10.0.0.6:5060 -r 10.10.0.11:5060 -i -w 2",
      "-A -f 9 -6 -s wlc",
    ];
    const part = partitionTable(parseIpvsadmSave(save.join("\n")).services, {
      owned: new Set(),
      others: new Map(),
    });
    expect(part.kept.flatMap((k) => k.saveLines)).toEqual(save);
    expect(part.kept.map((k) => k.label)).toEqual([
      "SCTP 10.0.0.5:5000",
      "UDP 10.0.0.6:5060",
      "FWM 9 IPv6",
    ]);
  });
});

describe("planning beside services the cluster does not own", () => {
  it("an empty cluster on a busy director plans nothing on the table and says what it leaves alone", () => {
    const foreign = [svc("10.0.0.3", 80, ["10.10.0.13"]), svc("10.0.0.4", 443, ["10.10.0.14"])];
    const { read } = directorWith([], foreign);
    const plan = planCluster(read, { director, services: [svc("10.0.0.1", 80, ["10.10.0.11"])] });
    expect(plan.errors).toEqual([]);
    const table = plan.steps.filter((s) => s.op.kind === "ipvsadm").map((s) => s.argv?.join(" "));
    expect(table.join("\n")).not.toMatch(/10\.0\.0\.[34]/);
    expect(plan.summary.servicesRemoved).toEqual([]);
    expect(plan.summary.notManaged).toEqual([
      { service: "TCP 10.0.0.3:80", owner: null },
      { service: "TCP 10.0.0.4:443", owner: null },
    ]);
    expect(plan.summary.lines).toContain("not managed by this cluster: 2 services (left alone)");
  });

  it("refuses a desired service that is already on the director under someone else", () => {
    const foreign = svc("10.0.0.3", 80, ["10.10.0.13"]);
    const { read } = directorWith([], [foreign]);
    const plan = planCluster(read, { director, services: [svc("10.0.0.3", 80, ["10.10.0.11"])] });
    expect(plan.steps).toEqual([]);
    expect(plan.errors).toMatchObject([
      {
        code: "SERVICE_NOT_OWNED",
        field: "services[0]",
        message: expect.stringMatching(/TCP 10\.0\.0\.3:80 is already on the director/),
      },
    ]);
  });

  it("a takeover removes the foreign services and says so first", () => {
    const foreign = svc("10.0.0.3", 80, ["10.10.0.13"]);
    const { read } = directorWith([], [foreign], { removeForeign: true });
    const plan = planCluster(read, { director, services: [] });
    expect(plan.summary.servicesRemoved).toEqual(["TCP 10.0.0.3:80"]);
    expect(plan.summary.foreignRemoved).toEqual(["TCP 10.0.0.3:80"]);
    expect(plan.summary.lines[0]).toBe(
      "remove 1 service this cluster does not manage: TCP 10.0.0.3:80",
    );
  });

  it("keeps a foreign service's VIP and forwarding when the cluster's last service on them goes", () => {
    const mine = svc("192.168.77.100", 80, ["10.10.0.11"]);
    const foreign = svc("192.168.77.100", 8080, ["10.10.0.12"]);
    const { read, full } = directorWith([mine], [foreign]);
    const plan = planCluster(read, { director, services: [] });
    const after = applyPlanToState(full, plan);
    expect(after.hosts.director?.addresses).toContainEqual(
      expect.objectContaining({ address: "192.168.77.100" }),
    );
    expect(after.hosts.director?.sysctls["net.ipv4.ip_forward"]).toBe("1");
    // The boot-time table is the whole table: the foreign service comes back after a reboot.
    expect(after.hosts.director?.files[IPVSADM_RULES_FILE]).toContain("-A -t 192.168.77.100:8080");
    expect(after.hosts.director?.files[IPVSADM_RULES_FILE]).not.toContain(":80 ");
  });

  it("keepalived beside foreign services leaves the boot-time restore as the operator has it", () => {
    const foreign = svc("10.0.0.3", 80, ["10.10.0.13"]);
    const { read } = directorWith([], [foreign]);
    const operatorRules = "-A -t 10.0.0.3:80 -s rr\n-a -t 10.0.0.3:80 -r 10.10.0.13:80 -m -w 1\n";
    const base = read.hosts.director ?? stateFromSpec({ director, services: [] }).hosts.director;
    if (!base) throw new Error("no director state");
    read.hosts.director = { ...base, files: { [IPVSADM_RULES_FILE]: operatorRules } };
    const desired: ClusterSpec = {
      engine: "keepalived",
      director,
      services: [svc("10.0.0.1", 80, ["10.10.0.11"], "dr")],
    };
    const plan = planCluster(read, desired);
    const touched = plan.steps.map((s) => s.description).join("\n");
    expect(touched).not.toContain(IPVSADM_RULES_FILE);
    expect(touched).not.toContain(IPVSADM_DEFAULTS_FILE);
  });

  it("property: whatever the cluster plans, every service it does not own is left exactly as it was", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, clusterSpec, (owned, desired, other) => {
        const taken = new Set([...owned.services, ...desired.services].map(keyOf));
        const foreign = other.services
          .map(normalizeService)
          .filter(
            (s, i, all) =>
              !taken.has(keyOf(s)) && all.findIndex((t) => keyOf(t) === keyOf(s)) === i,
          );
        const { read, full } = directorWith(owned.services, foreign);
        const plan = planCluster(read, { ...desired, director });
        expect(plan.errors).toEqual([]);
        const after = applyPlanToState(full, plan);
        for (const f of foreign) {
          expect(after.services.map(normalizeService).find((s) => keyOf(s) === keyOf(f))).toEqual(
            f,
          );
        }
        // A VIP a foreign service uses stays on every host that carried it.
        const foreignVips = new Set(foreign.map((f) => f.vip));
        const hosts = [
          [full.hosts.director, after.hosts.director],
          ...Object.entries(full.hosts.realservers).map(([a, h]) => [
            h,
            after.hosts.realservers[a],
          ]),
        ] as const;
        for (const [before, now] of hosts) {
          for (const a of before?.addresses ?? []) {
            if (foreignVips.has(a.address)) expect(now?.addresses).toContainEqual(a);
          }
        }
      }),
      { numRuns: 150, seed: 20_261_206 },
    );
  });
});
