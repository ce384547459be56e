// Authentication and host key pinning against a real sshd.

import { rm } from "node:fs/promises";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthFailedError,
  ConnectTimeoutError,
  connect,
  HostKeyMismatchError,
  HostKeyNotTrustedError,
  HostUnreachableError,
  JUMP_HOST_HINT,
  KeyFormatError,
  type SshTarget,
  scanHostKey,
} from "../src/index.ts";
import {
  type ClientKeys,
  ensureTestUser,
  freePort,
  makeClientKeys,
  type Sshd,
  startSshd,
  TEST_USER,
} from "./sshd.ts";

let keys: ClientKeys;
let sshd: Sshd;
let password: string;

beforeAll(async () => {
  keys = await makeClientKeys();
  password = await ensureTestUser();
  sshd = await startSshd({ authorizedKeys: keys.authorizedKeys });
});

afterAll(async () => {
  await sshd?.stop();
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});

function target(over: Partial<SshTarget> = {}): SshTarget {
  return {
    id: "h1",
    address: "127.0.0.1",
    port: sshd.port,
    username: "root",
    auth: { type: "key", privateKey: keys.ed25519 },
    hostKeyFingerprint: sshd.fingerprint,
    ...over,
  };
}

async function whoami(t: SshTarget): Promise<string> {
  const conn = await connect(t, { connectTimeoutMs: 5000 });
  try {
    return await new Promise((resolve, reject) => {
      conn.client.exec("id -un", (err, ch) => {
        if (err) return reject(err);
        let out = "";
        ch.on("data", (d: Buffer) => {
          out += d.toString();
        });
        ch.on("close", () => resolve(out.trim()));
      });
    });
  } finally {
    conn.close();
    await conn.closed;
  }
}

describe("authentication", () => {
  it.each([
    ["ed25519", () => keys.ed25519],
    ["rsa", () => keys.rsa],
    ["ecdsa", () => keys.ecdsa],
  ])("logs in with an %s key", async (_name, key) => {
    expect(await whoami(target({ auth: { type: "key", privateKey: key() } }))).toBe("root");
  });

  it("logs in with a passphrase-protected key", async () => {
    const auth = {
      type: "key" as const,
      privateKey: keys.ed25519Encrypted,
      passphrase: keys.passphrase,
    };
    expect(await whoami(target({ auth }))).toBe("root");
  });

  it("logs in with an encrypted PEM RSA key", async () => {
    const auth = {
      type: "key" as const,
      privateKey: keys.rsaPemEncrypted,
      passphrase: keys.passphrase,
    };
    expect(await whoami(target({ auth }))).toBe("root");
  });

  it("refuses an encrypted key without its passphrase before connecting", async () => {
    const auth = { type: "key" as const, privateKey: keys.ed25519Encrypted };
    await expect(connect(target({ auth }))).rejects.toBeInstanceOf(KeyFormatError);
  });

  it("logs in with a password as a non-root user", async () => {
    const auth = { type: "password" as const, password };
    expect(await whoami(target({ username: TEST_USER, auth }))).toBe(TEST_USER);
  });

  it("rejects a wrong password with AuthFailedError", async () => {
    const auth = { type: "password" as const, password: `${password}x` };
    const err = await connect(target({ username: TEST_USER, auth })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailedError);
    expect((err as AuthFailedError).code).toBe("SSH_AUTH_FAILED");
    expect((err as Error).message).toContain(`login as ${TEST_USER}`);
  });

  it("rejects a key that is not authorized with AuthFailedError", async () => {
    const other = await makeClientKeys();
    try {
      const auth = { type: "key" as const, privateKey: other.ed25519 };
      await expect(connect(target({ auth }))).rejects.toBeInstanceOf(AuthFailedError);
    } finally {
      await rm(other.dir, { recursive: true, force: true });
    }
  });
});

describe("host keys", () => {
  it("scanHostKey returns the fingerprint ssh-keygen prints", async () => {
    const scanned = await scanHostKey({ address: "127.0.0.1", port: sshd.port });
    expect(scanned).toEqual({ fingerprint: sshd.fingerprint, keyType: "ssh-ed25519" });
    expect(scanned.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("scanning sends no credentials (no login is logged)", async () => {
    const before = sshd.logins();
    await scanHostKey({ address: "127.0.0.1", port: sshd.port });
    expect(sshd.logins()).toBe(before);
  });

  it("refuses a host with no pinned key", async () => {
    const err = await connect(target({ hostKeyFingerprint: undefined })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyNotTrustedError);
    expect((err as Error).message).toContain(sshd.fingerprint);
    expect((err as HostKeyNotTrustedError).code).toBe("SSH_HOST_KEY_NOT_TRUSTED");
  });

  it("refuses a changed host key and names both fingerprints", async () => {
    const pinned = sshd.fingerprint;
    const own = await startSshd({ authorizedKeys: keys.authorizedKeys });
    try {
      const t = target({ port: own.port, hostKeyFingerprint: own.fingerprint });
      expect(await whoami(t)).toBe("root");
      const loginsBefore = own.logins();
      await own.restart({ newHostKey: true });
      expect(own.fingerprint).not.toBe(t.hostKeyFingerprint);
      const err = await connect(t).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyMismatchError);
      const mismatch = err as HostKeyMismatchError;
      expect(mismatch.code).toBe("SSH_HOST_KEY_MISMATCH");
      expect(mismatch.message).toContain("host key");
      expect(mismatch.message).toContain("changed");
      expect(mismatch.expected).toBe(t.hostKeyFingerprint);
      expect(mismatch.actual).toBe(own.fingerprint);
      expect(mismatch.message).toContain(own.fingerprint);
      // Refused during key exchange: no credentials reached the impostor.
      expect(loginsBefore).toBe(1);
      expect(own.logins()).toBe(loginsBefore);
    } finally {
      await own.stop();
    }
    expect(pinned).toBe(sshd.fingerprint);
  });

  it("asks for the pinned key type when the server has several", async () => {
    const rsaHost = await startSshd({ authorizedKeys: keys.authorizedKeys, hostKeyType: "rsa" });
    try {
      const scanned = await scanHostKey({
        address: "127.0.0.1",
        port: rsaHost.port,
        keyType: "ssh-rsa",
      });
      expect(scanned).toEqual({ fingerprint: rsaHost.fingerprint, keyType: "ssh-rsa" });
      const t = target({
        port: rsaHost.port,
        hostKeyFingerprint: scanned.fingerprint,
        hostKeyType: "ssh-rsa",
      });
      expect(await whoami(t)).toBe("root");
    } finally {
      await rsaHost.stop();
    }
  });
});

describe("connect failures", () => {
  it("times out against a port that accepts TCP but never speaks SSH", async () => {
    const silent = net.createServer(() => {});
    const sockets = new Set<net.Socket>();
    silent.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const err = await connect(target({ port }), { connectTimeoutMs: 500 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectTimeoutError);
      expect((err as ConnectTimeoutError).code).toBe("SSH_CONNECT_TIMEOUT");
      expect((err as Error).message).toContain(JUMP_HOST_HINT);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("reports a closed port as unreachable", async () => {
    const port = await freePort();
    const err = await connect(target({ port })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as Error).message).toContain("ECONNREFUSED");
    // Nothing listening is a wrong port, not a missing jump host.
    expect((err as Error).message).not.toContain(JUMP_HOST_HINT);
  });

  // A firewall or NAT in front of a host that is only reachable through another machine: TCP is
  // accepted, then the handshake is cut (closed, reset, or closed after the banner).
  it.each([
    ["closed at once", (s: net.Socket) => s.end()],
    ["reset", (s: net.Socket) => s.resetAndDestroy()],
    [
      "closed after the banner",
      (s: net.Socket) => {
        s.write("SSH-2.0-OpenSSH_9.2\r\n");
        setTimeout(() => s.destroy(), 50);
      },
    ],
  ])("a handshake cut (%s) suggests a jump host", async (_how, cut) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      cut(s);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const err = await connect(target({ port }), { connectTimeoutMs: 3000 }).catch(
        (e: unknown) => e,
      );
      expect((err as Error).message).toContain(
        `the connection was cut during the SSH handshake. ${JUMP_HOST_HINT}`,
      );
      const scan = await scanHostKey({ address: "127.0.0.1", port }, { timeoutMs: 3000 }).catch(
        (e: unknown) => e,
      );
      expect((scan as Error).message).toContain(JUMP_HOST_HINT);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
