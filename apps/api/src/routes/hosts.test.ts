import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let keyDir: string;
let KEY: string;
let ENCRYPTED_KEY: string;
beforeAll(() => {
  keyDir = mkdtempSync(path.join(tmpdir(), "lvs-api-keys-"));
  const gen = (name: string, pass: string) => {
    const file = path.join(keyDir, name);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", pass, "-f", file]);
    return readFileSync(file, "utf8");
  };
  KEY = gen("plain", "");
  ENCRYPTED_KEY = gen("enc", "pp-secret");
});
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe("hosts", () => {
  it("creates a host, seals the secret, and never returns it", async () => {
    const res = await req("POST", "/api/hosts", {
      name: "director-1",
      address: "192.0.2.10",
      auth: { type: "password", password: "hunter2-secret" },
    });
    expect(res.statusCode).toBe(201);
    const host = res.json();
    expect(host).toMatchObject({
      name: "director-1",
      port: 22,
      username: "root",
      authType: "password",
      hasSecret: true,
      hostKeySha256: null,
    });
    expect(res.body).not.toContain("hunter2-secret");
    const list = await req("GET", "/api/hosts");
    expect(list.body).not.toContain("hunter2-secret");
    const row = await t.app.db.host.findUniqueOrThrow({ where: { id: host.id } });
    expect(row.secretCipher).toMatch(/^v1:/);
    expect(row.secretCipher).not.toContain("hunter2");
    const audit = await t.app.db.auditLog.findMany({ where: { entityId: host.id } });
    expect(JSON.stringify(audit)).not.toContain("hunter2-secret");
  });

  it("stores a key with passphrase and reports both as set", async () => {
    const res = await req("POST", "/api/hosts", {
      name: "rs1",
      address: "rs1.example.net",
      port: 2222,
      username: "deploy",
      auth: { type: "key", privateKey: ENCRYPTED_KEY, passphrase: "pp-secret" },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ authType: "key", hasSecret: true, hasPassphrase: true });
    expect(res.body).not.toContain("PRIVATE KEY");
    expect(res.body).not.toContain("pp-secret");
  });

  it("explains a bad key at upload: malformed, encrypted without or with a wrong passphrase", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ privateKey: "not a key" }, /malformed/],
      [{ privateKey: ENCRYPTED_KEY }, /encrypted; enter its passphrase/],
      [{ privateKey: ENCRYPTED_KEY, passphrase: "wrong" }, /wrong passphrase/],
      [{ privateKey: readFileSync(path.join(keyDir, "plain.pub"), "utf8") }, /public key/],
    ];
    for (const [auth, reason] of cases) {
      const res = await req("POST", "/api/hosts", {
        name: "k",
        address: "10.0.0.1",
        auth: { type: "key", ...auth },
      });
      expect(res.statusCode, JSON.stringify(auth)).toBe(400);
      expect(res.json().fields["auth.privateKey"]).toMatch(reason);
    }
    const ok = await req("POST", "/api/hosts", {
      name: "k",
      address: "10.0.0.1",
      auth: { type: "key", privateKey: KEY },
    });
    expect(ok.statusCode).toBe(201);
  });

  it("answers 400 with the field for bad input", async () => {
    const cases: [unknown, string][] = [
      [
        { name: "a", address: "not an address!", auth: { type: "password", password: "x" } },
        "address",
      ],
      [
        { name: "a", address: "10.0.0.1", port: 70000, auth: { type: "password", password: "x" } },
        "port",
      ],
      [
        {
          name: "a",
          address: "10.0.0.1",
          username: "root; rm -rf /",
          auth: { type: "password", password: "x" },
        },
        "username",
      ],
      [{ name: "a", address: "10.0.0.1", auth: { type: "key" } }, "auth.privateKey"],
      [{ name: "a", address: "10.0.0.1", auth: { type: "magic" } }, "auth.type"],
      [{ address: "10.0.0.1", auth: { type: "password", password: "x" } }, "name"],
      [
        {
          name: "a",
          address: "10.0.0.1",
          auth: { type: "password", password: "x" },
          jumpHostId: "nope",
        },
        "jumpHostId",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await req("POST", "/api/hosts", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.json().fields ?? {}), res.body).toContain(field);
    }
  });

  it("refuses duplicate names (409), jump loops (400) and deleting a jump host in use (409)", async () => {
    const a = (
      await req("POST", "/api/hosts", {
        name: "a",
        address: "10.0.0.1",
        auth: { type: "password", password: "x" },
      })
    ).json();
    const dup = await req("POST", "/api/hosts", {
      name: "a",
      address: "10.0.0.2",
      auth: { type: "password", password: "x" },
    });
    expect(dup.statusCode).toBe(409);
    const b = (
      await req("POST", "/api/hosts", {
        name: "b",
        address: "10.0.0.2",
        auth: { type: "password", password: "x" },
        jumpHostId: a.id,
      })
    ).json();
    expect(b.jumpHostId).toBe(a.id);
    const loop = await req("PATCH", `/api/hosts/${a.id}`, { jumpHostId: b.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().fields.jumpHostId).toMatch(/loop/);
    const del = await req("DELETE", `/api/hosts/${a.id}`);
    expect(del.statusCode).toBe(409);
    expect((await req("DELETE", `/api/hosts/${b.id}`)).statusCode).toBe(204);
    expect((await req("DELETE", `/api/hosts/${a.id}`)).statusCode).toBe(204);
    expect((await req("GET", `/api/hosts/${a.id}`)).statusCode).toBe(404);
  });

  it("changing the address clears the pinned host key", async () => {
    const host = (
      await req("POST", "/api/hosts", {
        name: "a",
        address: "10.0.0.1",
        auth: { type: "password", password: "x" },
      })
    ).json();
    await t.app.db.host.update({ where: { id: host.id }, data: { hostKeySha256: "SHA256:abc" } });
    const renamed = await req("PATCH", `/api/hosts/${host.id}`, { name: "a2" });
    expect(renamed.json().hostKeySha256).toBe("SHA256:abc");
    const moved = await req("PATCH", `/api/hosts/${host.id}`, { address: "10.0.0.9" });
    expect(moved.json().hostKeySha256).toBeNull();
  });
});
