// Adding a host, against real OpenSSH sshds on loopback: Test login (root, a user with and
// without sudo, a missing tool, keepalived on a keepalived director, a refused login, a handshake
// cut), the interfaces read for the director dialog, reusing another host's credentials,
// addresses that are not an IP or a DNS name, and deleting a host realservers are linked to.
import { rm } from "node:fs/promises";
import net from "node:net";
import {
  type ClientKeys,
  ensureTestUser,
  grantTestUserSudo,
  makeClientKeys,
  type Sshd,
  startSshd,
} from "@lvs-panel/remote/test/sshd";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let keys: ClientKeys;
let sshd: Sshd;
/** A host without ipvsadm and keepalived. */
let bare: Sshd;
let t: TestApp;
/**
 * An unprivileged user only this file grants sudo to (other files grant theirs to the shared test
 * user at any time). It logs in with a password: sshd reads keys as the user, from a root-only dir.
 */
const TEST_USER = "lvsonboard";
let userLogin: Record<string, unknown>;

beforeAll(async () => {
  keys = await makeClientKeys();
  userLogin = {
    username: TEST_USER,
    auth: { type: "password", password: await ensureTestUser(TEST_USER) },
  };
  [sshd, bare] = await Promise.all([
    startSshd({ authorizedKeys: keys.authorizedKeys }),
    startSshd({ authorizedKeys: keys.authorizedKeys, hideTools: ["ipvsadm", "keepalived"] }),
  ]);
});
afterAll(async () => {
  await Promise.all([sshd?.stop(), bare?.stop()]);
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});
beforeEach(async () => {
  t = await startTestApp({ sshConnectTimeoutMs: 3000 });
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

interface LoginTest {
  ok: boolean;
  user: string | null;
  checkedAs: string;
  checks: { id: string; ok: boolean; required: boolean; message: string }[];
}

/** A host on `server`, its key trusted the way the UI does it (scan, then trust). */
async function addTrustedHost(server: Sshd, over: Record<string, unknown> = {}) {
  const res = await req("POST", "/api/hosts", {
    name: `h-${server.port}-${Math.random().toString(36).slice(2, 8)}`,
    address: "127.0.0.1",
    port: server.port,
    auth: { type: "key", privateKey: keys.ed25519 },
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const host = res.json() as { id: string; name: string };
  const scan = (await req("POST", `/api/hosts/${host.id}/scan`)).json();
  const trust = await req("POST", `/api/hosts/${host.id}/trust`, { fingerprint: scan.fingerprint });
  expect(trust.statusCode, trust.body).toBe(200);
  return host;
}

async function testLogin(hostId: string): Promise<LoginTest> {
  const res = await req("POST", `/api/hosts/${hostId}/test`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const summary = (r: LoginTest) => r.checks.map((c) => `${c.id}:${c.ok ? "ok" : "FAIL"}`);

async function makeDirector(hostId: string, engine: "ipvsadm" | "keepalived") {
  const cluster = (await req("POST", "/api/clusters", { name: `c-${engine}`, engine })).json();
  await t.app.db.director.create({
    data: { clusterId: cluster.id, hostId, dip: "10.10.0.1", interface: "eth0" },
  });
  return cluster as { id: string; name: string };
}

describe("Test login", () => {
  it("root on a host not used yet: every tool a director needs, keepalived optional", async () => {
    const host = await addTrustedHost(sshd);
    const result = await testLogin(host.id);
    expect(result).toMatchObject({ ok: true, user: "root" });
    expect(result.checkedAs).toMatch(/^not a director or realserver yet/);
    expect(summary(result)).toEqual([
      "login:ok",
      "tool:ipvsadm:ok",
      "tool:ip:ok",
      "tool:sysctl:ok",
      "tool:sha256sum:ok",
      "tool:keepalived:ok",
    ]);
    expect(result.checks[0]?.message).toBe("Logged in as root.");
    expect(result.checks.find((c) => c.id === "tool:keepalived")?.required).toBe(false);
  });

  it("a director without ipvsadm fails, naming the package", async () => {
    const host = await addTrustedHost(bare);
    await makeDirector(host.id, "ipvsadm");
    const result = await testLogin(host.id);
    expect(result.ok).toBe(false);
    expect(result.checkedAs).toBe('director of cluster "c-ipvsadm"');
    // keepalived is not asked of an ipvsadm-engine director.
    expect(summary(result)).toEqual([
      "login:ok",
      "tool:ipvsadm:FAIL",
      "tool:ip:ok",
      "tool:sysctl:ok",
      "tool:sha256sum:ok",
    ]);
    expect(result.checks[1]?.message).toBe(
      "ipvsadm is not installed (Debian: apt-get install ipvsadm): needed for the director's IPVS table.",
    );
  });

  it("a keepalived-engine director needs keepalived; a host not used yet only hears it is optional", async () => {
    const unused = await addTrustedHost(bare);
    const optional = await testLogin(unused.id);
    expect(optional.checks.find((c) => c.id === "tool:keepalived")).toMatchObject({
      ok: false,
      required: false,
    });

    const host = await addTrustedHost(bare);
    await makeDirector(host.id, "keepalived");
    const result = await testLogin(host.id);
    expect(result.checkedAs).toBe('director of cluster "c-keepalived" (keepalived engine)');
    expect(result.checks.find((c) => c.id === "tool:keepalived")).toMatchObject({
      ok: false,
      required: true,
      message:
        "keepalived is not installed (Debian: apt-get install keepalived): needed for health checks on the keepalived engine.",
    });
  });

  it("a realserver is asked for ip, sysctl and sha256sum only", async () => {
    const host = await addTrustedHost(bare);
    const cluster = (await req("POST", "/api/clusters", { name: "rs-only" })).json();
    const service = (
      await req("POST", `/api/clusters/${cluster.id}/services`, {
        protocol: "tcp",
        vip: "192.168.77.100",
        port: 80,
        scheduler: "rr",
        forwarding: "nat",
      })
    ).json();
    await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
      hostId: host.id,
    });
    const result = await testLogin(host.id);
    expect(result.ok).toBe(true);
    expect(result.checkedAs).toBe('realserver in cluster "rs-only"');
    expect(summary(result)).toEqual([
      "login:ok",
      "tool:ip:ok",
      "tool:sysctl:ok",
      "tool:sha256sum:ok",
    ]);
  });

  it("a non-root user: sudo -n refused is a failure that says what to add; granted, it passes", async () => {
    const host = await addTrustedHost(sshd, userLogin);
    const refused = await testLogin(host.id);
    expect(refused.ok).toBe(false);
    expect(refused.user).toBe(TEST_USER);
    expect(refused.checks[0]?.message).toBe(`Logged in as ${TEST_USER} (not root).`);
    expect(refused.checks[1]).toMatchObject({ id: "sudo", ok: false });
    expect(refused.checks[1]?.message).toContain(
      `"${TEST_USER} ALL=(root) NOPASSWD: ALL" to /etc/sudoers.d/lvs-panel`,
    );

    const revoke = await grantTestUserSudo(TEST_USER);
    try {
      const granted = await testLogin(host.id);
      expect(granted.ok).toBe(true);
      expect(granted.checks[1]).toMatchObject({
        id: "sudo",
        ok: true,
        message: "sudo -n works: the panel's commands run as root.",
      });
      // The tools were looked up as root, through sudo.
      expect(granted.checks.find((c) => c.id === "tool:ipvsadm")?.message).toMatch(
        /^ipvsadm is installed \(\/usr\/sbin\/ipvsadm\)\.$/,
      );
    } finally {
      await revoke();
    }
  });

  it("a refused login is a failed result in plain words, not an error", async () => {
    const host = await addTrustedHost(sshd);
    await t.app.inject({
      method: "PATCH",
      url: `/api/hosts/${host.id}`,
      headers: { cookie: t.cookie },
      payload: { auth: { type: "password", password: "not-the-password" } },
    });
    const result = await testLogin(host.id);
    expect(result.ok).toBe(false);
    expect(result.user).toBeNull();
    expect(result.checks).toEqual([
      {
        id: "login",
        ok: false,
        required: true,
        message: `Could not log in: 127.0.0.1:${sshd.port}: login as root with password was rejected`,
      },
    ]);
  });

  it("a handshake cut suggests a jump host, at the scan and in Test login", async () => {
    const sockets = new Set<net.Socket>();
    const cutter = net.createServer((s) => {
      sockets.add(s);
      s.resetAndDestroy();
    });
    await new Promise<void>((r) => cutter.listen(0, "127.0.0.1", r));
    const port = (cutter.address() as net.AddressInfo).port;
    try {
      const host = (
        await req("POST", "/api/hosts", {
          name: "behind-a-firewall",
          address: "127.0.0.1",
          port,
          auth: { type: "key", privateKey: keys.ed25519 },
        })
      ).json();
      const scan = await req("POST", `/api/hosts/${host.id}/scan`);
      expect(scan.statusCode).toBe(502);
      expect(scan.json().message).toContain(
        "the connection was cut during the SSH handshake. If this host is only reachable through another machine, set a jump host.",
      );
      // A key trusted earlier, and the host has since gone behind something that cuts SSH.
      await t.app.db.host.update({
        where: { id: host.id },
        data: { hostKeySha256: sshd.fingerprint },
      });
      const result = await testLogin(host.id);
      expect(result.ok).toBe(false);
      expect(result.checks[0]?.message).toMatch(/^Could not log in: .*set a jump host\.$/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => cutter.close(r));
    }
  });

  it("refuses a host whose key nobody trusted yet, without connecting", async () => {
    const res = await req("POST", "/api/hosts", {
      name: "untrusted",
      address: "127.0.0.1",
      port: sshd.port,
      auth: { type: "key", privateKey: keys.ed25519 },
    });
    const test = await req("POST", `/api/hosts/${res.json().id}/test`);
    expect(test.statusCode).toBe(409);
    expect(test.json().code).toBe("HOST_KEY_NOT_TRUSTED");
  });
});

describe("interfaces", () => {
  it("lists the host's interfaces and addresses, read with ip -o addr show", async () => {
    const host = await addTrustedHost(sshd);
    const res = await req("GET", `/api/hosts/${host.id}/interfaces`);
    expect(res.statusCode, res.body).toBe(200);
    const interfaces = res.json() as { name: string; addresses: unknown[] }[];
    expect(interfaces.find((i) => i.name === "lo")?.addresses).toContainEqual({
      address: "127.0.0.1",
      prefix: 8,
      family: 4,
    });
  });
});

describe("same credentials as another host", () => {
  it("copies the stored secret, user and jump host on the server; the copy logs in", async () => {
    const source = await addTrustedHost(sshd, userLogin);
    const copy = await req("POST", "/api/hosts", {
      name: "copy",
      address: "127.0.0.1",
      port: sshd.port,
      credentialsFromHostId: source.id,
    });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json()).toMatchObject({
      username: TEST_USER,
      authType: "password",
      hasSecret: true,
    });
    const rows = await t.app.db.host.findMany({
      where: { id: { in: [source.id, copy.json().id] } },
    });
    // The same sealed bytes: the secret was never opened, let alone sent to the browser.
    expect(new Set(rows.map((r) => r.secretCipher)).size).toBe(1);

    const scan = (await req("POST", `/api/hosts/${copy.json().id}/scan`)).json();
    await req("POST", `/api/hosts/${copy.json().id}/trust`, { fingerprint: scan.fingerprint });
    expect((await testLogin(copy.json().id)).user).toBe(TEST_USER);

    // What the request says itself wins over the copy.
    const own = await req("POST", "/api/hosts", {
      name: "own-user",
      address: "127.0.0.1",
      credentialsFromHostId: source.id,
      username: "root",
      jumpHostId: source.id,
    });
    expect(own.json()).toMatchObject({ username: "root", jumpHostId: source.id });
  });

  it("refuses both or neither of auth and credentialsFromHostId, and an unknown source", async () => {
    const neither = await req("POST", "/api/hosts", { name: "n", address: "192.0.2.1" });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().fields.auth).toMatch(/credentialsFromHostId/);
    const unknown = await req("POST", "/api/hosts", {
      name: "u",
      address: "192.0.2.1",
      credentialsFromHostId: "nope",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().fields).toEqual({ credentialsFromHostId: "no such host" });
    const source = (
      await req("POST", "/api/hosts", {
        name: "s",
        address: "192.0.2.1",
        auth: { type: "password", password: "pw-secret" },
      })
    ).json();
    const both = await req("POST", "/api/hosts", {
      name: "b",
      address: "192.0.2.2",
      auth: { type: "password", password: "pw-secret" },
      credentialsFromHostId: source.id,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().fields.credentialsFromHostId).toMatch(/not both/);
  });
});

describe("addresses", () => {
  it.each([
    ["999.1.1.1", /not a valid IPv4 address/],
    ["10.0.0", /not a valid IPv4 address/],
    ["lb_1.example.net", /IP address or a DNS name/],
  ])("refuses %s with a 400 on the address field", async (address, reason) => {
    const res = await req("POST", "/api/hosts", {
      name: "bad",
      address,
      auth: { type: "password", password: "pw-secret" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.address).toMatch(reason);
  });
});

describe("deleting a host realservers are linked to", () => {
  it("is refused naming them; force=true unlinks them and deletes", async () => {
    const host = (
      await req("POST", "/api/hosts", {
        name: "web1",
        address: "192.0.2.11",
        auth: { type: "password", password: "pw-secret" },
      })
    ).json();
    const cluster = (await req("POST", "/api/clusters", { name: "shop" })).json();
    const service = (
      await req("POST", `/api/clusters/${cluster.id}/services`, {
        protocol: "tcp",
        vip: "192.168.77.100",
        port: 80,
        scheduler: "rr",
        forwarding: "nat",
      })
    ).json();
    const rs = (
      await req("POST", `/api/services/${service.id}/realservers`, {
        address: "10.0.0.11",
        port: 80,
        hostId: host.id,
      })
    ).json();

    const links = await req("GET", `/api/hosts/${host.id}/links`);
    expect(links.json()).toEqual({
      directors: [],
      jumpedHosts: [],
      realservers: [
        {
          id: rs.id,
          clusterId: cluster.id,
          clusterName: "shop",
          serviceId: service.id,
          address: "10.0.0.11",
          port: 80,
        },
      ],
    });

    const refused = await req("DELETE", `/api/hosts/${host.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "HOST_LINKED",
      message:
        'host "web1" is linked to realserver 10.0.0.11:80 in cluster "shop"; delete it with force=true to unlink them',
    });
    const bad = await req("DELETE", `/api/hosts/${host.id}?force=yes`);
    expect(bad.statusCode).toBe(400);

    const forced = await req("DELETE", `/api/hosts/${host.id}?force=true`);
    expect(forced.statusCode).toBe(204);
    const row = await t.app.db.realServer.findUniqueOrThrow({ where: { id: rs.id } });
    expect(row.hostId).toBeNull();
    const audit = await t.app.db.auditLog.findFirstOrThrow({
      where: { action: "host.delete", entityId: host.id },
    });
    expect(audit.before).toContain("10.0.0.11");
  });

  it("a director is still refused, force or not", async () => {
    const host = (
      await req("POST", "/api/hosts", {
        name: "lb1",
        address: "192.0.2.1",
        auth: { type: "password", password: "pw-secret" },
      })
    ).json();
    await makeDirector(host.id, "ipvsadm");
    const res = await req("DELETE", `/api/hosts/${host.id}?force=true`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('host "lb1" is the director of cluster "c-ipvsadm"');
  });
});
