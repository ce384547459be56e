// The read cache must never serve something a write has changed, nor skip the auth checks.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { login, startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  opts: { payload?: object; headers?: Record<string, string> } = {},
) {
  return t.app.inject({
    method,
    url,
    headers: opts.headers ?? { cookie: t.cookie },
    ...(opts.payload === undefined ? {} : { payload: opts.payload }),
  });
}

async function clusterWithRealserver() {
  const cluster = (await req("POST", "/api/clusters", { payload: { name: "web" } })).json();
  const service = (
    await req("POST", `/api/clusters/${cluster.id}/services`, {
      payload: { protocol: "tcp", vip: "10.0.0.1", port: 80, scheduler: "rr", forwarding: "dr" },
    })
  ).json();
  const rs = (
    await req("POST", `/api/services/${service.id}/realservers`, {
      payload: { address: "10.0.0.11", port: 80, weight: 5 },
    })
  ).json();
  return { cluster, rs };
}

describe("read cache", () => {
  it("serves a repeated read from memory and never after a write", async () => {
    const { cluster, rs } = await clusterWithRealserver();
    const url = `/api/clusters/${cluster.id}`;
    const first = await req("GET", url);
    expect(first.headers["x-read-cache"]).toBeUndefined();
    const second = await req("GET", url);
    expect(second.headers["x-read-cache"]).toBe("hit");
    expect(second.headers["content-type"]).toMatch(/^application\/json/);
    expect(second.json()).toEqual(first.json());

    expect(
      (await req("PATCH", `/api/realservers/${rs.id}`, { payload: { weight: 9 } })).statusCode,
    ).toBe(200);
    const after = await req("GET", url);
    expect(after.headers["x-read-cache"]).toBeUndefined();
    expect(after.json().services[0].realservers[0].weight).toBe(9);
    expect((await req("GET", "/api/clusters")).json()[0].services[0].realservers[0].weight).toBe(9);
  });

  it("still checks who is asking before answering from memory", async () => {
    const { cluster } = await clusterWithRealserver();
    const url = `/api/clusters/${cluster.id}`;
    await req("GET", url);
    expect((await req("GET", url)).headers["x-read-cache"]).toBe("hit");
    expect((await req("GET", url, { headers: {} })).statusCode).toBe(401);
    expect(
      (await req("GET", url, { headers: { authorization: "Bearer lvsp_nope" } })).statusCode,
    ).toBe(401);
  });

  it("a revoked token stops working at once, though it was just used", async () => {
    const { token, id } = (
      await req("POST", "/api/tokens", { payload: { name: "script" } })
    ).json();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await req("GET", "/api/hosts", { headers: bearer })).statusCode).toBe(200);
    expect((await req("GET", "/api/hosts", { headers: bearer })).statusCode).toBe(200);
    expect((await req("DELETE", `/api/tokens/${id}`)).statusCode).toBe(204);
    expect((await req("GET", "/api/hosts", { headers: bearer })).statusCode).toBe(401);
  });

  it("a demoted user loses the right to write at once", async () => {
    const user = (
      await req("POST", "/api/users", {
        payload: { username: "ops", password: "ops-password-123", role: "operator" },
      })
    ).json();
    const cookie = await login(t.app, "ops", "ops-password-123");
    const asOps = { cookie };
    expect((await req("GET", "/api/clusters", { headers: asOps })).statusCode).toBe(200);
    const created = await req("POST", "/api/clusters", { headers: asOps, payload: { name: "a" } });
    expect(created.statusCode).toBe(201);
    // Demoting ends the user's sessions, so sign in again as the viewer they now are.
    expect(
      (await req("PATCH", `/api/users/${user.id}`, { payload: { role: "viewer" } })).statusCode,
    ).toBe(200);
    const stale = await req("POST", "/api/clusters", { headers: asOps, payload: { name: "b" } });
    expect(stale.statusCode).toBe(401);
    const asViewer = { cookie: await login(t.app, "ops", "ops-password-123") };
    const refused = await req("POST", "/api/clusters", {
      headers: asViewer,
      payload: { name: "c" },
    });
    expect(refused.statusCode).toBe(403);
  });

  it("does not cache requests with a query string, so clients cannot grow it without bound", async () => {
    await clusterWithRealserver();
    for (let i = 0; i < 50; i++) {
      const res = await req("GET", `/api/clusters?x=${i}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers["x-read-cache"]).toBeUndefined();
    }
    expect(t.app.readCache.responses.size.entries).toBe(0);
    await req("GET", "/api/clusters");
    expect(t.app.readCache.responses.size.entries).toBe(1);
  });

  it("a write refused by the auth or schema checks does not empty the cache", async () => {
    await clusterWithRealserver();
    await req("GET", "/api/clusters");
    await req("POST", "/api/clusters", { headers: {}, payload: { name: "x" } }); // 401
    await req("POST", "/api/clusters", { payload: { name: "" } }); // 400
    expect((await req("GET", "/api/clusters")).headers["x-read-cache"]).toBe("hit");
  });
});
