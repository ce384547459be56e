// Adoption against a real sshd director (sandboxed; ipvsadm faked below the lab's real-kernel
// test of the same path): a director that already carries services the panel never created.
// The panel leaves them alone, imports them, refuses a second claim on them, notices when they
// are changed by hand, and removes foreign ones only when told to.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { ServiceSpec } from "@lvs-panel/lvs";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { type SandboxHost, startSandboxHost } from "../../test/sandbox-host.ts";

let keys: ClientKeys;
let director: SandboxHost;
let t: TestApp;
let directorHostId: string;

const { req, ok, addTrustedHost, applyAndWait } = apiSession(() => t);

const dr = (vip: string, port: number, weights: number[], extra: Partial<ServiceSpec> = {}) =>
  ({
    protocol: "tcp",
    vip,
    port,
    scheduler: "wrr",
    forwarding: "dr",
    realservers: weights.map((weight, i) => ({
      address: `10.10.0.${11 + i}`,
      port,
      weight,
      enabled: true,
    })),
    ...extra,
  }) satisfies ServiceSpec;

/** The director's table as the operator left it, written behind the panel's back. */
const handMade: ServiceSpec[] = [
  dr("10.10.0.210", 80, [3, 1, 0]),
  { ...dr("10.10.0.210", 0, [1]), fwmark: 7, scheduler: "rr" },
];

function setTable(services: ServiceSpec[]) {
  writeFileSync(
    path.join(director.dir, "ipvs.json"),
    JSON.stringify({ services, hosts: { director: null, realservers: {} } }),
  );
}

const key = (s: Pick<ServiceSpec, "vip" | "port" | "fwmark">) =>
  s.fwmark ? `fwm ${s.fwmark}` : `${s.vip}:${s.port}`;
const table = () => new Map(director.ipvs().map((s) => [key(s), s]));

beforeAll(async () => {
  keys = await makeClientKeys();
  director = await startSandboxHost({
    name: "lb",
    authorizedKeys: keys.authorizedKeys,
    lan: "10.10.0.1/24",
  });
  t = await startTestApp();
  directorHostId = await addTrustedHost(director, keys.ed25519);
  setTable(handMade);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await director?.stop();
});

describe("a director with services the panel did not create", () => {
  let fresh: string;

  it("a new cluster's apply leaves them byte for byte alone, and its plan says so", async () => {
    const before = JSON.stringify(director.ipvs());
    fresh = (await ok("POST", "/api/clusters", { name: "fresh" })).id;
    await ok("PUT", `/api/clusters/${fresh}/director`, {
      hostId: directorHostId,
      dip: "10.10.0.1",
      interface: "lan0",
    });
    const svc = await ok("POST", `/api/clusters/${fresh}/services`, {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      scheduler: "rr",
      forwarding: "dr",
    });
    await ok("POST", `/api/services/${svc.id}/realservers`, { address: "10.10.0.11", port: 80 });
    const plan = await ok("POST", `/api/clusters/${fresh}/plan`, {});
    expect(plan.summary.servicesRemoved).toEqual([]);
    expect(plan.summary.notManaged).toEqual([
      { service: "TCP 10.10.0.210:80", owner: null },
      { service: "FWM 7", owner: null },
    ]);
    expect(plan.summary.lines).toContain("not managed by this cluster: 2 services (left alone)");
    expect((await applyAndWait(fresh, { planHash: plan.hash })).status).toBe("succeeded");
    const after = table();
    for (const s of JSON.parse(before) as ServiceSpec[]) expect(after.get(key(s))).toEqual(s);
    expect(after.get("10.10.0.200:80")).toBeDefined();
    // Persisted for a reboot: the whole table, the foreign services included.
    const rules = director.etcFile("ipvsadm.rules") ?? "";
    expect(rules).toContain("-A -t 10.10.0.210:80 -s wrr");
    expect(rules).toContain("-A -f 7 -s rr");
  });

  it("previews and imports them into a new cluster; its next plan changes nothing in the table", async () => {
    const preview = await ok("POST", "/api/clusters/import/preview", { hostId: directorHostId });
    expect(preview.engine).toBe("ipvsadm");
    // The fresh cluster's own service is not offered: it is already owned.
    expect(preview.services.map((s: { service: string }) => s.service)).toEqual([
      "TCP 10.10.0.210:80",
      "FWM 7",
    ]);
    expect(preview.refused).toEqual([
      { service: "TCP 10.10.0.200:80", reason: 'it belongs to cluster "fresh"' },
    ]);
    const imported = await req("POST", "/api/clusters/import", {
      name: "legacy",
      director: { hostId: directorHostId, dip: "10.10.0.1", interface: "lan0" },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const cluster = imported.json().cluster;
    expect(cluster.services).toMatchObject([
      { vip: "10.10.0.210", port: 80, scheduler: "wrr", fwmark: null },
      { port: 0, fwmark: 7 },
    ]);
    expect(cluster.services[0].realservers.map((r: { weight: number }) => r.weight)).toEqual([
      3, 1, 0,
    ]);
    const plan = await ok("POST", `/api/clusters/${cluster.id}/plan`, {});
    const tableSteps = plan.hosts
      .flatMap((h: { steps: { phase: string }[] }) => h.steps)
      .filter((s: { phase: string }) => s.phase.startsWith("director-"));
    expect(tableSteps).toEqual([]);
    expect(plan.summary.notManaged).toEqual([{ service: "TCP 10.10.0.200:80", owner: "fresh" }]);
  });

  it("refuses a second cluster's claim on a service another cluster on the director has", async () => {
    const res = await req("POST", `/api/clusters/${fresh}/services`, {
      protocol: "tcp",
      vip: "10.10.0.210",
      port: 80,
      scheduler: "rr",
      forwarding: "dr",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.port).toBe(
      'TCP 10.10.0.210:80 is already a service of cluster "legacy" on the same director',
    );
  });

  it("shows a weight changed by hand as drift, and adopting it makes it the desired state", async () => {
    const legacy = (await ok("GET", "/api/clusters")).find(
      (c: { name: string }) => c.name === "legacy",
    );
    expect((await ok("GET", `/api/clusters/${legacy.id}/drift`)).status).toBe("none");
    const now = director.ipvs();
    const web = now.find((s) => s.vip === "10.10.0.210" && s.port === 80);
    if (!web?.realservers[0]) throw new Error("the imported service is gone");
    web.realservers[0].weight = 5;
    setTable(now);
    const drift = await ok("GET", `/api/clusters/${legacy.id}/drift`);
    expect(drift).toMatchObject({
      status: "drift",
      summary: "changed outside the panel: 1 weight",
      changes: [
        {
          service: "TCP 10.10.0.210:80",
          kind: "weight",
          change: "realserver 10.10.0.11:80 has weight 5, not 3",
        },
      ],
    });
    const adopted = await ok("POST", `/api/clusters/${legacy.id}/drift/adopt`);
    expect(adopted.cluster.services[0].realservers[0].weight).toBe(5);
    expect((await ok("GET", `/api/clusters/${legacy.id}/drift`)).status).toBe("none");
  });

  it("removes foreign services only when told to, and records that it did", async () => {
    const stray = { ...dr("10.10.0.220", 443, [1]), scheduler: "rr" as const };
    setTable([...director.ipvs(), stray]);
    const plain = await ok("POST", `/api/clusters/${fresh}/plan`, {});
    expect(plain.summary.servicesRemoved).toEqual([]);
    const takeover = await ok("POST", `/api/clusters/${fresh}/plan`, { removeForeign: true });
    expect(takeover.summary.foreignRemoved).toEqual(["TCP 10.10.0.220:443"]);
    // The other cluster's services are the panel's, not foreign: never part of a takeover.
    expect(takeover.summary.servicesRemoved).toEqual(["TCP 10.10.0.220:443"]);
    const stale = await req("POST", `/api/clusters/${fresh}/apply`, {
      planHash: plain.hash,
      removeForeign: true,
    });
    expect(stale.statusCode).toBe(409);
    const apply = await applyAndWait(fresh, { planHash: takeover.hash, removeForeign: true });
    expect(apply.status).toBe("succeeded");
    expect(table().has("10.10.0.220:443")).toBe(false);
    expect(table().has("10.10.0.210:80")).toBe(true);
    const audit = await ok("GET", "/api/audit?limit=1000");
    const entry = audit.find(
      (e: { action: string; after: { removeForeign?: boolean } | null }) =>
        e.action === "apply.start" && e.after?.removeForeign,
    );
    expect(entry?.after.foreignRemoved).toEqual(["TCP 10.10.0.220:443"]);
  });

  it("refuses to plan a new service that is already on the director under nobody", async () => {
    setTable([...director.ipvs(), dr("10.10.0.230", 80, [1])]);
    const svc = await ok("POST", `/api/clusters/${fresh}/services`, {
      protocol: "tcp",
      vip: "10.10.0.230",
      port: 80,
      scheduler: "rr",
      forwarding: "dr",
    });
    const plan = await ok("POST", `/api/clusters/${fresh}/plan`, {});
    expect(plan.errors).toMatchObject([
      {
        code: "SERVICE_NOT_OWNED",
        message: expect.stringContaining("TCP 10.10.0.230:80 is already on the director"),
      },
    ]);
    expect((await req("DELETE", `/api/services/${svc.id}`)).statusCode).toBe(204);
  });
});
