// The keepalived engine's settings through the API, on a real SQLite file: the engine on the
// cluster, the health check on services, the check port on realservers, the health route.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST" | "PATCH", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const SERVICE = {
  protocol: "tcp",
  vip: "192.168.77.100",
  port: 80,
  scheduler: "rr",
  forwarding: "dr",
};

describe("the keepalived engine's settings", () => {
  it("a cluster's engine defaults to ipvsadm, is set on create and changed by PATCH", async () => {
    const plain = (await req("POST", "/api/clusters", { name: "a" })).json();
    expect(plain.engine).toBe("ipvsadm");
    const created = await req("POST", "/api/clusters", { name: "b", engine: "keepalived" });
    expect(created.statusCode).toBe(201);
    expect(created.json().engine).toBe("keepalived");
    const back = await req("PATCH", `/api/clusters/${plain.id}`, { engine: "keepalived" });
    expect(back.json().engine).toBe("keepalived");
    expect((await req("GET", `/api/clusters/${plain.id}`)).json().engine).toBe("keepalived");
    const bad = await req("PATCH", `/api/clusters/${plain.id}`, { engine: "ldirectord" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.engine).toMatch(/must be ipvsadm .* or keepalived/);
  });

  it("services get the default check, keep what is set, and refuse a bad one field by field", async () => {
    const cluster = (
      await req("POST", "/api/clusters", { name: "c", engine: "keepalived" })
    ).json();
    const plain = (await req("POST", `/api/clusters/${cluster.id}/services`, SERVICE)).json();
    expect(plain).toMatchObject({
      healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
      onFailure: "quiesce",
      sorryServer: null,
    });
    const http = await req("POST", `/api/clusters/${cluster.id}/services`, {
      ...SERVICE,
      port: 8080,
      healthCheck: { type: "http", path: "/healthz", expectStatus: 204 },
      onFailure: "remove",
      sorryServer: { address: "10.10.0.99", port: 8080 },
    });
    expect(http.statusCode).toBe(201);
    expect(http.json().healthCheck).toEqual({
      type: "http",
      path: "/healthz",
      expectStatus: 204,
      intervalSeconds: 5,
      timeoutSeconds: 3,
      retries: 2,
    });
    // A PATCH of something else keeps the check; a new check replaces it whole.
    const renamed = await req("PATCH", `/api/services/${http.json().id}`, { scheduler: "wrr" });
    expect(renamed.json().healthCheck.path).toBe("/healthz");
    const tcp = await req("PATCH", `/api/services/${http.json().id}`, {
      healthCheck: { type: "tcp", intervalSeconds: 2, timeoutSeconds: 1 },
    });
    expect(tcp.json().healthCheck).toEqual({
      type: "tcp",
      intervalSeconds: 2,
      timeoutSeconds: 1,
      retries: 2,
    });
    expect(tcp.json().onFailure).toBe("remove");

    const bad = await req("POST", `/api/clusters/${cluster.id}/services`, {
      ...SERVICE,
      port: 81,
      healthCheck: { type: "tcp", path: "/x", intervalSeconds: 2, timeoutSeconds: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual({
      "healthCheck.path": "only applies to http and https checks, not tcp",
      "healthCheck.timeoutSeconds": expect.stringMatching(/must not exceed the interval/),
    });
    const injected = await req("POST", `/api/clusters/${cluster.id}/services`, {
      ...SERVICE,
      port: 82,
      healthCheck: { type: "http", path: "/x\n}\nvirtual_server 1.2.3.4 80 {" },
    });
    expect(injected.statusCode).toBe(400);
    expect(injected.json().fields["healthCheck.path"]).toMatch(/no spaces/);
  });

  it("realservers take a check port; GET /health answers for a cluster with no director", async () => {
    const cluster = (
      await req("POST", "/api/clusters", { name: "d", engine: "keepalived" })
    ).json();
    const service = (await req("POST", `/api/clusters/${cluster.id}/services`, SERVICE)).json();
    const rs = await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
      checkPort: 8081,
    });
    expect(rs.statusCode).toBe(201);
    expect(rs.json().checkPort).toBe(8081);
    const bad = await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.12",
      port: 80,
      checkPort: 70000,
    });
    expect(bad.json().fields.checkPort).toBe("must be from 1 to 65535");
    const health = await req("GET", `/api/clusters/${cluster.id}/health`);
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      engine: "keepalived",
      directors: [],
      realservers: [{ id: rs.json().id, state: "unknown", since: null, liveWeight: null }],
    });
    expect((await req("GET", "/api/clusters/nope/health")).statusCode).toBe(404);
  });
});
