// The account rules the user and auth services hold: unique usernames, always an admin, nobody
// deletes themselves, a password change needs the current password and ends other sessions;
// every user change is in the audit log.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, login, startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  payload?: unknown,
  cookie = t.cookie,
) {
  return t.app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function adminId(): Promise<string> {
  const users = (await req("GET", "/api/users")).json() as { id: string; username: string }[];
  return users.find((u) => u.username === "admin")?.id ?? "";
}

describe("users", () => {
  it("refuses a username that exists, naming the field", async () => {
    const body = { username: "ops", password: "password-123", role: "operator" };
    expect((await req("POST", "/api/users", body)).statusCode).toBe(201);
    const again = await req("POST", "/api/users", body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: "CONFLICT",
      message: "user ops already exists",
      fields: { username: "already exists" },
    });
  });

  it("keeps an admin and refuses to delete yourself", async () => {
    const me = await adminId();
    const demote = await req("PATCH", `/api/users/${me}`, { role: "viewer" });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().message).toBe("this is the last admin; make another admin first");
    const self = await req("DELETE", `/api/users/${me}`);
    expect(self.statusCode).toBe(409);
    expect(self.json()).toMatchObject({ code: "SELF", message: "you cannot delete yourself" });

    const other = (
      await req("POST", "/api/users", { username: "boss", password: "password-123", role: "admin" })
    ).json();
    expect((await req("PATCH", `/api/users/${me}`, { role: "operator" })).statusCode).toBe(200);
    // Demoted: the admin's sessions ended with the change.
    expect((await req("GET", "/api/users")).statusCode).toBe(401);
    const boss = await login(t.app, "boss", "password-123");
    expect((await req("DELETE", `/api/users/${me}`, undefined, boss)).statusCode).toBe(204);
    expect((await req("DELETE", `/api/users/${other.id}`, undefined, boss)).json().code).toBe(
      "SELF",
    );
    const actions = (await req("GET", "/api/audit?entityType=user", undefined, boss))
      .json()
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.create", "user.update", "user.delete"]));
  });

  it("answers 404 for a user that does not exist", async () => {
    expect((await req("PATCH", "/api/users/nope", { role: "viewer" })).statusCode).toBe(404);
    expect((await req("DELETE", "/api/users/nope")).statusCode).toBe(404);
  });
});

describe("your own password", () => {
  it("needs the current one, ends other sessions and keeps this one", async () => {
    const other = await login(t.app, "admin", ADMIN_PASSWORD);
    const wrong = await req("POST", "/api/auth/password", {
      currentPassword: "not-it",
      newPassword: "new-password-1",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      statusCode: 400,
      code: "VALIDATION",
      message: "currentPassword: is not your password",
      fields: { currentPassword: "is not your password" },
    });

    const changed = await req("POST", "/api/auth/password", {
      currentPassword: ADMIN_PASSWORD,
      newPassword: "new-password-1",
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ ok: true });
    const renewed = String(changed.headers["set-cookie"]).split(";")[0] ?? "";
    expect((await req("GET", "/api/users", undefined, renewed)).statusCode).toBe(200);
    expect((await req("GET", "/api/users", undefined, other)).statusCode).toBe(401);
    await expect(login(t.app, "admin", "new-password-1")).resolves.toMatch(/^lvs_session=/);
  });

  it("asks to sign in first without a session", async () => {
    const res = await req(
      "POST",
      "/api/auth/password",
      { currentPassword: "x", newPassword: "new-password-1" },
      "",
    );
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: "UNAUTHENTICATED", message: "sign in first" });
  });
});
