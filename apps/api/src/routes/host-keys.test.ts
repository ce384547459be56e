// Host key trust against a real OpenSSH sshd on loopback: scan shows the key, trust pins exactly
// that key, a wrong fingerprint is refused, and a changed key shows up as a difference.

import { type ClientKeys, makeClientKeys, type Sshd, startSshd } from "@lvs-panel/remote/test/sshd";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let keys: ClientKeys;
let sshd: Sshd;
let t: TestApp;

beforeAll(async () => {
  keys = await makeClientKeys();
  sshd = await startSshd({ authorizedKeys: keys.authorizedKeys });
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function addHost(port: number) {
  const res = await req("POST", "/api/hosts", {
    name: `sshd-${port}`,
    address: "127.0.0.1",
    port,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
}

describe("host keys", () => {
  it("scan returns the fingerprint ssh-keygen prints; trust pins only that one", async () => {
    const host = await addHost(sshd.port);
    const scan = await req("POST", `/api/hosts/${host.id}/scan`);
    expect(scan.statusCode).toBe(200);
    expect(scan.json()).toEqual({
      fingerprint: sshd.fingerprint,
      keyType: "ssh-ed25519",
      pinned: null,
    });

    const wrong = await req("POST", `/api/hosts/${host.id}/trust`, {
      fingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().message).toContain(sshd.fingerprint);

    const malformed = await req("POST", `/api/hosts/${host.id}/trust`, { fingerprint: "md5:00" });
    expect(malformed.statusCode).toBe(400);

    const trust = await req("POST", `/api/hosts/${host.id}/trust`, {
      fingerprint: sshd.fingerprint,
    });
    expect(trust.statusCode).toBe(200);
    expect(trust.json().hostKeySha256).toBe(sshd.fingerprint);
  });

  it("a changed host key shows as different from the pinned one", async () => {
    const host = await addHost(sshd.port);
    await req("POST", `/api/hosts/${host.id}/trust`, { fingerprint: sshd.fingerprint });
    const old = sshd.fingerprint;
    await sshd.restart({ newHostKey: true });
    const scan = (await req("POST", `/api/hosts/${host.id}/scan`)).json();
    expect(scan.pinned).toBe(old);
    expect(scan.fingerprint).toBe(sshd.fingerprint);
    expect(scan.fingerprint).not.toBe(old);
  });

  it("an unreachable host is a readable 5xx from the SSH layer, not a crash", async () => {
    const host = await addHost(1); // nothing listens on port 1
    const scan = await req("POST", `/api/hosts/${host.id}/scan`);
    expect([502, 504]).toContain(scan.statusCode);
    expect(scan.json().code).toMatch(/^SSH_/);
  });
});
