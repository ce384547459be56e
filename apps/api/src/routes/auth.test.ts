import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, login, startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
afterEach(async () => t?.close());

describe("auth", () => {
  it("creates admin from LVS_PANEL_ADMIN_PASSWORD and guards /api with a session", async () => {
    t = await startTestApp();
    const anonymous = await t.app.inject({ method: "GET", url: "/api/clusters" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: "UNAUTHENTICATED" });

    const health = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(health.json()).toEqual({ status: "ok", database: "ok" });

    const authed = await t.app.inject({
      method: "GET",
      url: "/api/clusters",
      headers: { cookie: t.cookie },
    });
    expect(authed.statusCode).toBe(200);
  });

  it("sets an httpOnly SameSite=Strict cookie and stores the password hashed", async () => {
    t = await startTestApp();
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password: ADMIN_PASSWORD },
    });
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const user = await t.app.db.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(user.passwordHash).not.toContain(ADMIN_PASSWORD);
    expect(user.passwordHash).toMatch(/^scrypt\$/);
  });

  it("refuses a wrong password with 401 and a readable message", async () => {
    t = await startTestApp();
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password: "wrong-password" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe("wrong username or password");
  });

  it("logout ends the session", async () => {
    t = await startTestApp();
    await t.app.inject({ method: "POST", url: "/api/auth/logout", headers: { cookie: t.cookie } });
    const res = await t.app.inject({
      method: "GET",
      url: "/api/hosts",
      headers: { cookie: t.cookie },
    });
    expect(res.statusCode).toBe(401);
  });

  it("first run without a configured password asks for one, once", async () => {
    t = await startTestApp({ adminPassword: null });
    const status = await t.app.inject({ method: "GET", url: "/api/auth/status" });
    expect(status.json()).toEqual({ setupRequired: true, user: null });

    const short = await t.app.inject({
      method: "POST",
      url: "/api/auth/setup",
      payload: { password: "short" },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields.password).toMatch(/at least 8/);

    const setup = await t.app.inject({
      method: "POST",
      url: "/api/auth/setup",
      payload: { password: "a-good-password" },
    });
    expect(setup.statusCode).toBe(201);
    const again = await t.app.inject({
      method: "POST",
      url: "/api/auth/setup",
      payload: { password: "another-password" },
    });
    expect(again.statusCode).toBe(409);
    // The first password is the one that works.
    await expect(login(t.app, "admin", "a-good-password")).resolves.toMatch(/^lvs_session=/);
    await expect(login(t.app, "admin", "another-password")).rejects.toThrow(/401/);
  });
});
