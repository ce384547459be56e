// POST /api/services/:id/realservers/bulk: all or none, each problem named by its place in the
// list; and what the validation report says of a realserver whose host was deleted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST" | "DELETE", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function makeService() {
  const cluster = (await req("POST", "/api/clusters", { name: "bulk" })).json();
  const service = (
    await req("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      scheduler: "wlc",
      forwarding: "dr",
    })
  ).json();
  return { cluster, service };
}

const realservers = async (clusterId: string) =>
  (await req("GET", `/api/clusters/${clusterId}`)).json().services[0].realservers as {
    address: string;
    port: number;
    weight: number;
  }[];

describe("POST /api/services/:id/realservers/bulk", () => {
  it("adds every realserver of the list, in order, each audited", async () => {
    const { cluster, service } = await makeService();
    const res = await req("POST", `/api/services/${service.id}/realservers/bulk`, {
      realservers: [
        { address: "10.10.0.11", port: 80, weight: 5 },
        { address: "10.10.0.12", port: 80 },
        { address: "FD00::0013", port: 80, weight: 0 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().realservers.map((r: { address: string }) => r.address)).toEqual([
      "10.10.0.11",
      "10.10.0.12",
      "fd00::13",
    ]);
    expect((await realservers(cluster.id)).map((r) => [r.address, r.weight])).toEqual([
      ["10.10.0.11", 5],
      ["10.10.0.12", 1],
      ["fd00::13", 0],
    ]);
    const audit = await req("GET", "/api/audit?limit=10&action=realserver.create");
    expect(JSON.stringify(audit.json())).toContain("fd00::13");
    expect(audit.body.match(/"realserver\.create"/g)).toHaveLength(3);
  });

  it("adds none when one is wrong, and names it by its place in the list", async () => {
    const { cluster, service } = await makeService();
    const bad = await req("POST", `/api/services/${service.id}/realservers/bulk`, {
      realservers: [
        { address: "10.10.0.11", port: 80 },
        { address: "10.10.0.12", port: 80, weight: 70000 },
        { address: "10.10.0.11", port: 80 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual({
      "realservers.1.weight": expect.any(String),
    });
    expect(await realservers(cluster.id)).toEqual([]);

    const twice = await req("POST", `/api/services/${service.id}/realservers/bulk`, {
      realservers: [
        { address: "10.10.0.11", port: 80 },
        { address: "10.10.0.11", port: 80 },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().fields).toEqual({
      "realservers.1.address": "same address and port as realservers.0",
    });
    expect(await realservers(cluster.id)).toEqual([]);
  });

  it("refuses (409) realservers the service has already, adding none of the others", async () => {
    const { cluster, service } = await makeService();
    await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.12",
      port: 80,
    });
    const res = await req("POST", `/api/services/${service.id}/realservers/bulk`, {
      realservers: [
        { address: "10.10.0.11", port: 80 },
        { address: "10.10.0.12", port: 80 },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      message: "already in this service: 10.10.0.12:80; nothing was added",
      fields: { "realservers.1.address": "already in this service" },
    });
    expect((await realservers(cluster.id)).map((r) => r.address)).toEqual(["10.10.0.12"]);
  });

  it("answers 404 for a service that does not exist, and 400 for an empty list", async () => {
    const { service } = await makeService();
    const missing = await req("POST", "/api/services/nope/realservers/bulk", {
      realservers: [{ address: "10.10.0.11", port: 80 }],
    });
    expect(missing.statusCode).toBe(404);
    const empty = await req("POST", `/api/services/${service.id}/realservers/bulk`, {
      realservers: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/at least one realserver/);
  });
});

describe("GET /api/clusters/:id/validation", () => {
  it("warns of a realserver whose host was deleted, as the plan does", async () => {
    const { cluster, service } = await makeService();
    const host = (
      await req("POST", "/api/hosts", {
        name: "web1",
        address: "10.10.0.11",
        auth: { type: "password", password: "p" },
      })
    ).json();
    await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
      hostId: host.id,
    });
    const before = (await req("GET", `/api/clusters/${cluster.id}/validation`)).json();
    expect(before.warnings.map((w: { code: string }) => w.code)).not.toContain(
      "REALSERVER_NOT_MANAGED",
    );
    expect((await req("DELETE", `/api/hosts/${host.id}?force=true`)).statusCode).toBe(204);
    const after = (await req("GET", `/api/clusters/${cluster.id}/validation`)).json();
    expect(after.warnings).toContainEqual({
      code: "REALSERVER_NOT_MANAGED",
      field: "services[0].realservers[0].hostId",
      message: expect.stringMatching(
        /^realserver 10\.10\.0\.11 has no SSH host \(none was linked, or its host was deleted\)/,
      ),
    });
  });
});
