// Draining and the overview against real sshd hosts (sandboxed in network + mount namespaces,
// ipvsadm faked: see test/sandbox-host.ts): a draining realserver is planned and applied at
// weight 0 while the database keeps its weight; the overview's pending flag follows edits and
// applies; unreachable and untrusted hosts are reported without holding up the request.

import { type ClientKeys, freePort, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import { ADMIN_PASSWORD, login, startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { type SandboxHost, startSandboxHost } from "../../test/sandbox-host.ts";
import { buildApp } from "../app.ts";
import { clusterInclude, toClusterSpec } from "../services/cluster-dto.ts";

let keys: ClientKeys;
let director: SandboxHost;
let rs1: SandboxHost;
let t: TestApp;
let clusterId: string;
let serviceId: string;
let rsId: string;
let directorHostId: string;
let rs1HostId: string;
/** From the reachability test: a cluster whose realserver host "gone" is on a closed port. */
let otherClusterId: string;
let goneHostId: string;

const { req, addTrustedHost: addHost, applyAndWait: applyCluster } = apiSession(() => t);
const addTrustedHost = (h: SandboxHost) => addHost(h, keys.ed25519);
const applyAndWait = () => applyCluster(clusterId);

async function directorCommands(): Promise<string> {
  const plan = await req("POST", `/api/clusters/${clusterId}/plan`, {});
  expect(plan.statusCode, plan.body).toBe(200);
  const director = plan.json().hosts.find((h: { key: string }) => h.key === "director");
  return director.steps.map((s: { command: string }) => s.command).join("\n");
}

interface OverviewCluster {
  id: string;
  name: string;
  director: { hostId: string; name: string; address: string } | null;
  counts: { services: number; realservers: number };
  lastApply: { id: string; status: string; username: string | null } | null;
  pendingChanges: boolean;
  hosts: {
    id: string;
    name: string;
    role: string;
    reachable: boolean | null;
    checkedAt: string | null;
    error: string | null;
  }[];
}

async function overviewOf(id: string): Promise<OverviewCluster> {
  const res = await req("GET", "/api/overview");
  expect(res.statusCode, res.body).toBe(200);
  const found = (res.json() as OverviewCluster[]).find((c) => c.id === id);
  if (!found) throw new Error(`cluster ${id} missing from the overview`);
  return found;
}

/** Asks again (as the page's polling does) until `ready` holds; probes run in the background. */
async function overviewUntil(
  id: string,
  ready: (c: OverviewCluster) => boolean,
): Promise<OverviewCluster> {
  for (let i = 0; i < 100; i++) {
    const c = await overviewOf(id);
    if (ready(c)) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the overview never got there");
}

beforeAll(async () => {
  keys = await makeClientKeys();
  [director, rs1] = await Promise.all([
    startSandboxHost({
      name: "director",
      authorizedKeys: keys.authorizedKeys,
      lan: "10.10.0.1/24",
    }),
    startSandboxHost({ name: "rs1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.11/24" }),
  ]);
  t = await startTestApp();
  directorHostId = await addTrustedHost(director);
  rs1HostId = await addTrustedHost(rs1);
  clusterId = (await req("POST", "/api/clusters", { name: "web" })).json().id;
  await req("PUT", `/api/clusters/${clusterId}/director`, {
    hostId: directorHostId,
    dip: "10.10.0.1",
    interface: "lan0",
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await Promise.all([director, rs1].map((h) => h?.stop()));
});

describe("overview and draining", () => {
  it("a cluster with a director but nothing to apply has no pending changes", async () => {
    const c = await overviewOf(clusterId);
    expect(c).toMatchObject({
      name: "web",
      director: { hostId: directorHostId, name: "director", address: director.address },
      counts: { services: 0, realservers: 0 },
      lastApply: null,
      pendingChanges: false,
    });
    expect(c.hosts.map((h) => [h.name, h.role])).toEqual([["director", "director"]]);
  });

  it("pending changes after an edit, none after a successful apply; hosts reachable", async () => {
    serviceId = (
      await req("POST", `/api/clusters/${clusterId}/services`, {
        protocol: "tcp",
        vip: "10.10.0.200",
        port: 80,
        scheduler: "rr",
        forwarding: "nat",
      })
    ).json().id;
    const rs = await req("POST", `/api/services/${serviceId}/realservers`, {
      address: "10.10.0.11",
      port: 80,
      weight: 3,
      hostId: rs1HostId,
    });
    expect(rs.statusCode, rs.body).toBe(201);
    expect(rs.json()).toMatchObject({ weight: 3, draining: false });
    rsId = rs.json().id;

    let c = await overviewOf(clusterId);
    expect(c.counts).toEqual({ services: 1, realservers: 1 });
    expect(c.pendingChanges).toBe(true);

    const apply = await applyAndWait();
    expect(apply.status, JSON.stringify(apply.events)).toBe("succeeded");
    c = await overviewUntil(clusterId, (x) => x.hosts.every((h) => h.reachable !== null));
    expect(c.pendingChanges).toBe(false);
    expect(c.lastApply).toMatchObject({ id: apply.id, status: "succeeded", username: "admin" });
    expect(c.hosts).toEqual([
      expect.objectContaining({ id: directorHostId, role: "director", reachable: true }),
      expect.objectContaining({ id: rs1HostId, role: "realserver", reachable: true }),
    ]);
    expect(c.hosts.every((h) => h.checkedAt && h.error === null)).toBe(true);

    await req("PATCH", `/api/realservers/${rsId}`, { weight: 4 });
    expect((await overviewOf(clusterId)).pendingChanges).toBe(true);
    await req("PATCH", `/api/realservers/${rsId}`, { weight: 3 });
    expect((await overviewOf(clusterId)).pendingChanges).toBe(false); // back to what was applied
  }, 60_000);

  it("a draining realserver is planned and applied at weight 0 and keeps its weight in the database", async () => {
    const drained = await req("PATCH", `/api/realservers/${rsId}`, { draining: true });
    expect(drained.statusCode, drained.body).toBe(200);
    expect(drained.json()).toMatchObject({ weight: 3, draining: true });
    const cluster = (await req("GET", `/api/clusters/${clusterId}`)).json();
    expect(cluster.services[0].realservers[0]).toMatchObject({ weight: 3, draining: true });
    expect((await overviewOf(clusterId)).pendingChanges).toBe(true);

    const commands = await directorCommands();
    expect(commands).toContain("-e -t 10.10.0.200:80 -r 10.10.0.11:80 -m -w 0");
    const apply = await applyAndWait();
    expect(apply.status, JSON.stringify(apply.events)).toBe("succeeded");
    expect(director.ipvs()[0]?.realservers[0]?.weight).toBe(0);
    expect((await overviewOf(clusterId)).pendingChanges).toBe(false);

    // Undrain: the configured weight comes back.
    await req("PATCH", `/api/realservers/${rsId}`, { draining: false });
    expect(await directorCommands()).toContain("-e -t 10.10.0.200:80 -r 10.10.0.11:80 -m -w 3");
    expect((await applyAndWait()).status).toBe("succeeded");
    expect(director.ipvs()[0]?.realservers[0]?.weight).toBe(3);

    const bad = await req("PATCH", `/api/realservers/${rsId}`, { draining: "yes" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual({ draining: "must be true or false" });
  }, 60_000);

  it("reports a host on a closed port and an untrusted host as unreachable without waiting for them", async () => {
    const closedPort = await freePort();
    const dead = await req("POST", "/api/hosts", {
      name: "gone",
      address: "127.0.0.1",
      port: closedPort,
      auth: { type: "key", privateKey: keys.ed25519 },
    });
    expect(dead.statusCode, dead.body).toBe(201);
    // It was trusted once, when it still answered; nothing listens there now.
    await t.app.db.host.update({
      where: { id: dead.json().id },
      data: { hostKeySha256: director.fingerprint },
    });
    const untrusted = await req("POST", "/api/hosts", {
      name: "new-box",
      address: "127.0.0.1",
      port: closedPort,
      auth: { type: "key", privateKey: keys.ed25519 },
    });
    goneHostId = dead.json().id;
    const other = (await req("POST", "/api/clusters", { name: "other" })).json().id;
    otherClusterId = other;
    const svc = (
      await req("POST", `/api/clusters/${other}/services`, {
        protocol: "tcp",
        vip: "10.20.0.200",
        port: 443,
        scheduler: "wlc",
        forwarding: "nat",
      })
    ).json().id;
    for (const [address, hostId] of [
      ["10.20.0.11", dead.json().id],
      ["10.20.0.12", untrusted.json().id],
    ]) {
      const res = await req("POST", `/api/services/${svc}/realservers`, {
        address,
        port: 443,
        hostId,
      });
      expect(res.statusCode, res.body).toBe(201);
    }

    const started = performance.now();
    const first = await overviewOf(other);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(first).toMatchObject({ director: null, lastApply: null, pendingChanges: true });
    const untrustedNow = first.hosts.find((h) => h.name === "new-box");
    expect(untrustedNow).toMatchObject({ role: "realserver", reachable: false });
    expect(untrustedNow?.error).toMatch(/not trusted/);
    expect([null, false]).toContain(first.hosts.find((h) => h.name === "gone")?.reachable);

    const later = await overviewUntil(
      other,
      (c) => c.hosts.find((h) => h.name === "gone")?.reachable === false,
    );
    const gone = later.hosts.find((h) => h.name === "gone");
    expect(gone?.checkedAt).not.toBeNull();
    expect(gone?.error).toMatch(/refused|ECONNREFUSED|unreachable/i);
    // The first cluster's hosts are unaffected.
    expect((await overviewOf(clusterId)).hosts.every((h) => h.reachable)).toBe(true);
  }, 60_000);

  it("forgets what it knew of a host as soon as the host is edited or its key trusted", async () => {
    const gone = async () => {
      const host = (await overviewOf(otherClusterId)).hosts.find((h) => h.id === goneHostId);
      if (!host) throw new Error("host gone missing from the overview");
      return host;
    };
    expect(await gone()).toMatchObject({
      reachable: false,
      error: expect.stringMatching(/refused/i),
    });

    // Moved to where an sshd answers: untrusted until its key is confirmed again...
    const moved = await req("PATCH", `/api/hosts/${goneHostId}`, {
      address: director.address,
      port: 22,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await gone()).error).toMatch(/not trusted/);
    const scan = (await req("POST", `/api/hosts/${goneHostId}/scan`)).json();
    const trust = await req("POST", `/api/hosts/${goneHostId}/trust`, {
      fingerprint: scan.fingerprint,
    });
    expect(trust.statusCode, trust.body).toBe(200);
    // ...and once trusted, never the old "connection refused" (kept for 15 s before): unknown
    // until the new probe ends, then reachable.
    const right = await gone();
    expect(right.reachable, JSON.stringify(right)).not.toBe(false);
    const reachable = await overviewUntil(
      otherClusterId,
      (c) => c.hosts.find((h) => h.id === goneHostId)?.reachable === true,
    );
    expect(reachable.hosts.find((h) => h.id === goneHostId)?.error).toBeNull();

    // New credentials that do not work: the "reachable" of the old ones is forgotten at once.
    const rekeyed = await req("PATCH", `/api/hosts/${goneHostId}`, {
      auth: { type: "password", password: "not-the-password" },
    });
    expect(rekeyed.statusCode, rekeyed.body).toBe(200);
    expect(rekeyed.json().hostKeySha256).toBe(director.fingerprint); // same machine, still trusted
    const wrong = await gone();
    expect(wrong.reachable, JSON.stringify(wrong)).not.toBe(true);
    const refused = await overviewUntil(
      otherClusterId,
      (c) => c.hosts.find((h) => h.id === goneHostId)?.reachable === false,
    );
    expect(refused.hosts.find((h) => h.id === goneHostId)?.error).toMatch(/password was rejected/);
  }, 60_000);

  it("pending changes and the last apply stay right with hundreds of applies per cluster", async () => {
    const db = t.app.db;
    // A cluster whose last successful apply pushed exactly what it holds now.
    const id = (await req("POST", "/api/clusters", { name: "many-applies" })).json().id;
    const svc = await req("POST", `/api/clusters/${id}/services`, {
      protocol: "tcp",
      vip: "10.30.0.200",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    });
    expect(svc.statusCode, svc.body).toBe(201);
    const now = await db.cluster.findUniqueOrThrow({ where: { id }, include: clusterInclude });
    const real = await db.apply.create({
      data: {
        clusterId: id,
        status: "succeeded",
        plan: "{}",
        desired: JSON.stringify({ spec: toClusterSpec(now), realserverHosts: {} }),
      },
    });
    const before = await overviewOf(id);
    expect(before).toMatchObject({ pendingChanges: false, lastApply: { id: real.id } });

    // What an apply of an older desired state stored: the service had another port then.
    const stale = JSON.parse(real.desired);
    stale.spec.services[0].port = 8080;
    const staleDesired = JSON.stringify(stale);
    const at = (ms: number) => new Date(real.startedAt.getTime() + ms);
    const many = (await req("POST", "/api/clusters", { name: "many-others" })).json().id;
    const rows = [];
    for (let i = 1; i <= 400; i++) {
      // Older successful applies, then failed ones after the real last success...
      rows.push({
        clusterId: id,
        status: "succeeded",
        plan: "{}",
        desired: staleDesired,
        startedAt: at(-i * 60_000),
      });
      if (i <= 50) {
        rows.push({
          clusterId: id,
          status: i % 2 ? "failed" : "rolled_back",
          plan: "{}",
          desired: staleDesired,
          startedAt: at(i * 1000),
        });
      }
      // ...and another cluster's successes, the newest of all: per cluster, not overall.
      rows.push({
        clusterId: many,
        status: "succeeded",
        plan: "{}",
        desired: staleDesired,
        startedAt: at(3_600_000 + i * 1000),
      });
    }
    await db.apply.createMany({ data: rows });
    const lastFailed = await db.apply.findFirst({
      where: { clusterId: id, startedAt: at(50_000) },
    });

    const cluster = await overviewOf(id);
    expect(cluster.pendingChanges).toBe(false); // the real last success still decides
    expect(cluster.lastApply).toMatchObject({ id: lastFailed?.id, status: "rolled_back" });
    const other = await overviewOf(many);
    expect(other).toMatchObject({
      pendingChanges: true, // no services, but what was applied had one
      lastApply: { status: "succeeded" },
    });

    // A newer success of the stale state: now the database differs from what was applied.
    await db.apply.create({
      data: {
        clusterId: id,
        status: "succeeded",
        plan: "{}",
        desired: staleDesired,
        startedAt: at(60_000),
      },
    });
    expect((await overviewOf(id)).pendingChanges).toBe(true);
  }, 60_000);

  it("samples an unwatched cluster's counters for the charts when a stats interval is set", async () => {
    // The same database and key file, with the sampler on (the test fixture leaves it off).
    const sampled = await buildApp({
      databaseUrl: t.databaseUrl,
      dataDir: t.dir,
      adminPassword: undefined,
      secretKey: undefined,
      webDist: undefined,
      sessionIdleMinutes: 60,
      cookieSecure: false,
      statsIntervalMs: 200,
    });
    try {
      const cookie = await login(sampled, "admin", ADMIN_PASSWORD);
      const history = async () =>
        (
          await sampled.inject({
            method: "GET",
            url: `/api/clusters/${clusterId}/live/history`,
            headers: { cookie },
          })
        ).json() as { at: string }[];
      expect(await history()).toEqual([]);
      let points: { at: string }[] = [];
      for (let i = 0; i < 100 && points.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        points = await history();
      }
      expect(points.length).toBeGreaterThanOrEqual(2);
      expect(Date.parse(points[1]?.at ?? "")).toBeGreaterThan(Date.parse(points[0]?.at ?? ""));
    } finally {
      await sampled.close();
    }
  }, 30_000);
});
