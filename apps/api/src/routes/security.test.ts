// Access control and hostile input: roles, API tokens, login lockout, CSRF, headers, and
// shell-injection payloads through every field that could reach a remote shell.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { login, startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
function as(
  cookieOrBearer: string,
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const auth = cookieOrBearer.startsWith("lvsp_")
    ? { authorization: `Bearer ${cookieOrBearer}` }
    : { cookie: cookieOrBearer };
  return t.app.inject({
    method,
    url,
    headers: { ...auth, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function userWithRole(role: string) {
  const username = `${role}1`;
  const res = await as(t.cookie, "POST", "/api/users", {
    username,
    password: "password-123",
    role,
  });
  expect(res.statusCode, res.body).toBe(201);
  return login(t.app, username, "password-123");
}

describe("roles", () => {
  it("viewer reads, operator edits, only admin manages users", async () => {
    const viewer = await userWithRole("viewer");
    const operator = await userWithRole("operator");
    expect((await as(viewer, "GET", "/api/clusters")).statusCode).toBe(200);
    const denied = await as(viewer, "POST", "/api/clusters", { name: "x" });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/operator role/);
    expect((await as(operator, "POST", "/api/clusters", { name: "x" })).statusCode).toBe(201);
    expect((await as(operator, "GET", "/api/users")).statusCode).toBe(403);
    expect(
      (
        await as(operator, "POST", "/api/users", {
          username: "evil",
          password: "password-123",
          role: "admin",
        })
      ).statusCode,
    ).toBe(403);
    expect((await as(t.cookie, "GET", "/api/users")).json()).toHaveLength(3);
  });

  it("keeps at least one admin", async () => {
    const me = (await as(t.cookie, "GET", "/api/auth/status")).json().user;
    expect(
      (await as(t.cookie, "PATCH", `/api/users/${me.id}`, { role: "viewer" })).statusCode,
    ).toBe(409);
    expect((await as(t.cookie, "DELETE", `/api/users/${me.id}`)).statusCode).toBe(409);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, act with the user's role and can be revoked", async () => {
    const created = await as(t.cookie, "POST", "/api/tokens", { name: "ci script" });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^lvsp_/);
    const row = await t.app.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).not.toContain(token.slice(5));
    expect(JSON.stringify((await as(t.cookie, "GET", "/api/tokens")).json())).not.toContain(token);

    expect((await as(token, "POST", "/api/clusters", { name: "from-script" })).statusCode).toBe(
      201,
    );
    expect((await as(t.cookie, "DELETE", `/api/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await as(token, "GET", "/api/clusters");
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toMatch(/revoked/);
    expect((await as("lvsp_made-up", "GET", "/api/clusters")).statusCode).toBe(401);
  });
});

describe("login", () => {
  it("locks a username out after 5 failures with a clear message, other users unaffected", async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "admin", password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong")).statusCode).toBe(401);
    const locked = await attempt("admin-password-1");
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toMatch(/too many failed sign-ins; try again in 15 minutes/);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(800);
  });
});

describe("browser protections", () => {
  it("refuses cross-site writes with the session cookie; bearer scripts are unaffected", async () => {
    const evil = await as(
      t.cookie,
      "POST",
      "/api/clusters",
      { name: "csrf" },
      { origin: "https://evil.example" },
    );
    expect(evil.statusCode).toBe(403);
    const same = await as(
      t.cookie,
      "POST",
      "/api/clusters",
      { name: "ok" },
      { origin: "http://localhost:80", host: "localhost:80" },
    );
    expect(same.statusCode).toBe(201);
    // A form post (not JSON) never reaches a handler.
    const form = await t.app.inject({
      method: "POST",
      url: "/api/clusters",
      headers: { cookie: t.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: "name=x",
    });
    expect(form.statusCode).toBe(415);
  });

  it("sends security headers and no CORS allowance", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/health",
      headers: { origin: "https://evil.example" },
    });
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBeDefined();
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("hostile input", () => {
  const payloads = [
    "; touch /tmp/pwned",
    "$(id)",
    "`id`",
    "a\nb",
    "x\u0000y",
    "' OR 1=1 --",
    "eth0; reboot",
    "10.0.0.1 && rm -rf /",
    "ä".repeat(5000),
    "\u202eeth0",
    "-rf",
  ];

  it("every field that reaches a remote shell refuses injection payloads with a 400", async () => {
    const cluster = (await as(t.cookie, "POST", "/api/clusters", { name: "c" })).json();
    const host = (
      await as(t.cookie, "POST", "/api/hosts", {
        name: "h",
        address: "10.0.0.1",
        auth: { type: "password", password: "p" },
      })
    ).json();
    const service = (
      await as(t.cookie, "POST", `/api/clusters/${cluster.id}/services`, {
        protocol: "tcp",
        vip: "10.0.0.9",
        port: 80,
        scheduler: "rr",
        forwarding: "nat",
      })
    ).json();
    for (const bad of payloads) {
      const cases: [Method, string, Record<string, unknown>][] = [
        [
          "POST",
          "/api/hosts",
          { name: "h2", address: bad, auth: { type: "password", password: "p" } },
        ],
        [
          "POST",
          "/api/hosts",
          {
            name: "h2",
            address: "10.0.0.2",
            username: bad,
            auth: { type: "password", password: "p" },
          },
        ],
        [
          "PUT",
          `/api/clusters/${cluster.id}/director`,
          { hostId: host.id, dip: bad, interface: "eth0" },
        ],
        [
          "PUT",
          `/api/clusters/${cluster.id}/director`,
          { hostId: host.id, dip: "10.0.0.1", interface: bad },
        ],
        [
          "PUT",
          `/api/clusters/${cluster.id}/director`,
          { hostId: host.id, dip: "10.0.0.1", interface: "eth0", vipInterface: bad },
        ],
        [
          "POST",
          `/api/clusters/${cluster.id}/services`,
          { protocol: "tcp", vip: bad, port: 80, scheduler: "rr", forwarding: "nat" },
        ],
        [
          "POST",
          `/api/clusters/${cluster.id}/services`,
          { protocol: "tcp", vip: "10.0.0.8", port: 80, scheduler: bad, forwarding: "nat" },
        ],
        [
          "POST",
          `/api/clusters/${cluster.id}/services`,
          {
            protocol: "tcp",
            vip: "10.0.0.8",
            port: 80,
            scheduler: "sh",
            schedulerFlags: [bad],
            forwarding: "nat",
          },
        ],
        [
          "POST",
          `/api/clusters/${cluster.id}/services`,
          {
            protocol: "tcp",
            vip: "10.0.0.8",
            port: 80,
            scheduler: "rr",
            persistence: 60,
            persistenceNetmask: bad,
            forwarding: "nat",
          },
        ],
        ["POST", `/api/services/${service.id}/realservers`, { address: bad, port: 80 }],
      ];
      for (const [method, url, body] of cases) {
        const res = await as(t.cookie, method, url, body);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 120)}`).toBe(400);
      }
    }
    // Nothing hostile was stored.
    const stored =
      JSON.stringify(await t.app.db.director.findMany()) +
      JSON.stringify(await t.app.db.virtualService.findMany());
    for (const bad of payloads) expect(stored).not.toContain(bad);
  });
});
