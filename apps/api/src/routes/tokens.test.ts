// API tokens beyond "acts as its owner": an optional expiry (401 with a plain message once it has
// passed, cached or not) and an optional read-only scope (403 on any write, the auth routes too).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { login, startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
function as(auth: string, method: Method, url: string, payload?: unknown) {
  const headers = auth.startsWith("lvsp_") ? { authorization: `Bearer ${auth}` } : { cookie: auth };
  return t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function createToken(body: Record<string, unknown>, cookie = t.cookie) {
  const res = await as(cookie, "POST", "/api/tokens", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string; scope: string; expiresAt: string | null };
}

describe("token scope", () => {
  it("a read-only token reads everything its user may, and changes nothing", async () => {
    const { token, scope } = await createToken({ name: "dashboard", scope: "read" });
    expect(scope).toBe("read");
    expect((await as(token, "GET", "/api/clusters")).statusCode).toBe(200);
    expect((await as(token, "HEAD", "/api/clusters")).statusCode).toBe(200);
    expect((await as(token, "GET", "/api/tokens")).statusCode).toBe(200);
    expect((await as(token, "GET", "/api/users")).statusCode).toBe(200); // the admin's token

    const write = await as(token, "POST", "/api/clusters", { name: "from-read-token" });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({
      code: "READ_ONLY_TOKEN",
      message:
        "this API token is read-only: it may only read (GET); use a token with full scope to make changes",
    });
    // Not another token (a way out of the scope), not the password of its user.
    expect((await as(token, "POST", "/api/tokens", { name: "escape" })).statusCode).toBe(403);
    const password = await as(token, "POST", "/api/auth/password", {
      currentPassword: "admin-password-1",
      newPassword: "changed-by-a-token",
    });
    expect(password.statusCode).toBe(403);
    expect((await as(token, "DELETE", "/api/tokens/nope")).statusCode).toBe(403);
    expect(await t.app.db.cluster.count({ where: { name: "from-read-token" } })).toBe(0);
  });

  it("a full token acts with its user's role, which a read-only one never exceeds", async () => {
    const made = await as(t.cookie, "POST", "/api/users", {
      username: "viewer1",
      password: "password-123",
      role: "viewer",
    });
    expect(made.statusCode).toBe(201);
    const viewer = await login(t.app, "viewer1", "password-123");
    const full = await createToken({ name: "viewer full" }, viewer);
    expect(full.scope).toBe("full");
    const denied = await as(full.token, "POST", "/api/clusters", { name: "x" });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/operator role/);
    const admins = await createToken({ name: "admin full", scope: "full" });
    expect((await as(admins.token, "POST", "/api/clusters", { name: "x" })).statusCode).toBe(201);
  });
});

describe("token expiry", () => {
  it("takes expiresInDays or a future expiresAt, lists it, and refuses both or a past date", async () => {
    const inDays = await createToken({ name: "week", expiresInDays: 7 });
    const days = (Date.parse(inDays.expiresAt ?? "") - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const dated = await createToken({ name: "hour", expiresAt: at, scope: "read" });
    expect(dated.expiresAt).toBe(at);
    const never = await createToken({ name: "forever" });
    expect(never.expiresAt).toBeNull();

    const listed = (await as(t.cookie, "GET", "/api/tokens")).json() as {
      name: string;
      scope: string;
      expiresAt: string | null;
    }[];
    expect(listed.map(({ name, scope, expiresAt }) => ({ name, scope, expiresAt }))).toEqual([
      { name: "forever", scope: "full", expiresAt: null },
      { name: "hour", scope: "read", expiresAt: at },
      { name: "week", scope: "full", expiresAt: inDays.expiresAt },
    ]);

    const bad: [Record<string, unknown>, Record<string, string>][] = [
      [{ expiresAt: "2001-01-01T00:00:00Z" }, { expiresAt: "must be in the future" }],
      [{ expiresAt: "next week" }, { expiresAt: expect.stringMatching(/date and time/) }],
      [
        { expiresAt: at, expiresInDays: 3 },
        { expiresInDays: "give expiresAt or expiresInDays, not both" },
      ],
      [{ expiresInDays: 0 }, { expiresInDays: "must be from 1 to 3650 days" }],
      [{ expiresInDays: 1.5 }, { expiresInDays: expect.stringMatching(/whole number of days/) }],
      [{ scope: "admin" }, { scope: expect.stringMatching(/full.*read/) }],
    ];
    for (const [body, fields] of bad) {
      const res = await as(t.cookie, "POST", "/api/tokens", { name: "bad", ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields, JSON.stringify(body)).toEqual(fields);
    }
  });

  it("an expired token gets 401 saying so", async () => {
    const { id, token } = await createToken({ name: "short", expiresInDays: 1 });
    expect((await as(token, "GET", "/api/clusters")).statusCode).toBe(200);
    const past = new Date(Date.now() - 1000);
    await t.app.db.apiToken.update({ where: { id }, data: { expiresAt: past } });
    t.app.readCache.invalidate(); // written behind the API's back: forget the remembered holder
    const res = await as(token, "GET", "/api/clusters");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: "TOKEN_EXPIRED",
      message: `this API token expired on ${past.toISOString()}; create a new one on the API tokens page`,
    });
  });

  it("stops at its expiry to the second, though its holder is remembered for two", async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    const { token } = await createToken({ name: "blink", expiresAt: at });
    expect((await as(token, "GET", "/api/clusters")).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(at) - Date.now() + 50));
    const res = await as(token, "GET", "/api/clusters");
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("TOKEN_EXPIRED");
  });
});
