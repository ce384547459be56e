// Jump hosts: two sshds on loopback; the second is reached only through a forwardOut tunnel on the
// first, which is proven by the second sshd's log naming the first sshd's process as the peer.
import { rm } from "node:fs/promises";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connect,
  HostKeyMismatchError,
  HostKeyNotTrustedError,
  HostUnreachableError,
  JUMP_HOST_HINT,
  SshPool,
  type SshTarget,
  scanHostKey,
} from "../src/index.ts";
import { type ClientKeys, freePort, makeClientKeys, type Sshd, startSshd } from "./sshd.ts";

let keys: ClientKeys;
let bastion: Sshd;
let inner: Sshd;

beforeAll(async () => {
  keys = await makeClientKeys();
  [bastion, inner] = await Promise.all([
    // DEBUG makes the bastion log each direct-tcpip request it serves.
    startSshd({ authorizedKeys: keys.authorizedKeys, logLevel: "DEBUG" }),
    startSshd({ authorizedKeys: keys.authorizedKeys }),
  ]);
});

afterAll(async () => {
  await Promise.all([bastion?.stop(), inner?.stop()]);
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});

function jumpTarget(over: Partial<SshTarget> = {}): SshTarget {
  return {
    id: "director",
    address: "127.0.0.1",
    port: bastion.port,
    username: "root",
    auth: { type: "key", privateKey: keys.ed25519 },
    hostKeyFingerprint: bastion.fingerprint,
    ...over,
  };
}

function innerTarget(over: Partial<SshTarget> = {}): SshTarget {
  return {
    id: "realserver",
    address: "127.0.0.1",
    port: inner.port,
    username: "root",
    auth: { type: "key", privateKey: keys.ecdsa },
    hostKeyFingerprint: inner.fingerprint,
    jump: jumpTarget(),
    ...over,
  };
}

describe("jump hosts", () => {
  it("runs a command on a host reached through a tunnel on the jump host", async () => {
    const pool = new SshPool();
    try {
      const res = await pool.run(innerTarget(), { argv: ["echo", "via jump"] });
      expect(res.stdout).toBe("via jump\n");
      // The bastion opened the TCP connection to the inner sshd on our behalf: the tunnel carried it.
      expect(bastion.log()).toContain(
        `server_request_direct_tcpip: originator 127.0.0.1 port 0, target 127.0.0.1 port ${inner.port}`,
      );
      expect(inner.logins()).toBeGreaterThanOrEqual(1);
      expect(bastion.logins()).toBeGreaterThanOrEqual(1);
    } finally {
      await pool.closeAll();
    }
  });

  it("shares one jump connection among the hosts behind it, and keeps it while they live", async () => {
    const pool = new SshPool({ idleTimeoutMs: 2000 });
    try {
      const bastionBefore = bastion.logins();
      const innerBefore = inner.logins();
      const hosts = ["rs-a", "rs-b", "rs-c"].map((id) => innerTarget({ id }));
      const results = await pool.runOnHosts(hosts, (r) => r.run({ argv: ["hostname"] }), {
        concurrency: 3,
      });
      expect(results.every((r) => r.ok)).toBe(true);
      // The jump target itself, used directly, is the same pooled connection.
      await pool.run(jumpTarget(), { argv: ["true"] });
      expect(bastion.logins() - bastionBefore).toBe(1);
      expect(inner.logins() - innerBefore).toBe(3);
      expect(pool.size).toBe(4);
      // Idle timers end the inner connections first; the jump host goes once nothing leans on it.
      await expect.poll(() => pool.size, { timeout: 15_000, interval: 200 }).toBe(0);
    } finally {
      await pool.closeAll();
    }
  });

  it("refuses a jump chain that loops back to the host", async () => {
    const loop = innerTarget({ jump: jumpTarget({ id: "realserver" }) });
    await expect(connect(loop)).rejects.toThrow(/twice in its own jump chain/);
  });

  it("scans the inner host's key through the jump host", async () => {
    const scanned = await scanHostKey({
      address: "127.0.0.1",
      port: inner.port,
      jump: jumpTarget(),
    });
    expect(scanned.fingerprint).toBe(inner.fingerprint);
  });

  it("checks the jump host's own pinned key", async () => {
    const wrongPin = jumpTarget({ hostKeyFingerprint: inner.fingerprint });
    const err = await connect(innerTarget({ jump: wrongPin })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as HostKeyMismatchError).actual).toBe(bastion.fingerprint);
    const unpinned = jumpTarget({ hostKeyFingerprint: undefined });
    await expect(connect(innerTarget({ jump: unpinned }))).rejects.toBeInstanceOf(
      HostKeyNotTrustedError,
    );
  });

  it("checks the inner host's pinned key through the tunnel", async () => {
    const err = await connect(innerTarget({ hostKeyFingerprint: bastion.fingerprint })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as HostKeyMismatchError).actual).toBe(inner.fingerprint);
  });

  it("reports a target the jump host cannot reach as unreachable", async () => {
    const port = await freePort();
    const err = await connect(innerTarget({ port })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as Error).message).toContain("from jump host");
  });

  it("a handshake cut behind a jump host does not suggest setting one", async () => {
    const server = net.createServer((s) => s.resetAndDestroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const err = await connect(innerTarget({ port })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).not.toContain(JUMP_HOST_HINT);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("closes the jump connection with the inner one", async () => {
    const conn = await connect(innerTarget());
    conn.close();
    await conn.closed;
    // Nothing to assert on a socket we no longer hold; the bastion logs the disconnect.
    await expect
      .poll(() => bastion.log().match(/Disconnected from user root/g)?.length ?? 0)
      .toBeGreaterThan(0);
  });
});
