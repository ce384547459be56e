import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientKeys, makeClientKeys } from "../test/sshd.ts";
import { KeyFormatError } from "./errors.ts";
import { assertPrivateKey, checkPrivateKey } from "./private-key.ts";

const run = promisify(execFile);
let keys: ClientKeys;
let dsa: string;
let pkcs8: string;
let publicKey: string;

beforeAll(async () => {
  keys = await makeClientKeys();
  const dsaFile = path.join(keys.dir, "id_dsa");
  await run("ssh-keygen", ["-q", "-t", "dsa", "-N", "", "-f", dsaFile]);
  dsa = await readFile(dsaFile, "utf8");
  pkcs8 = (await run("openssl", ["genpkey", "-algorithm", "ed25519"])).stdout;
  publicKey = await readFile(path.join(keys.dir, "id_ed25519.pub"), "utf8");
});

afterAll(async () => {
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});

describe("checkPrivateKey", () => {
  it("accepts ed25519, RSA and ECDSA keys and names the type", () => {
    expect(checkPrivateKey(keys.ed25519)).toEqual({ ok: true, keyType: "ssh-ed25519" });
    expect(checkPrivateKey(keys.rsa)).toEqual({ ok: true, keyType: "ssh-rsa" });
    expect(checkPrivateKey(keys.ecdsa)).toEqual({ ok: true, keyType: "ecdsa-sha2-nistp256" });
  });

  it("accepts encrypted keys with the right passphrase", () => {
    expect(checkPrivateKey(keys.ed25519Encrypted, keys.passphrase)).toEqual({
      ok: true,
      keyType: "ssh-ed25519",
    });
    expect(checkPrivateKey(keys.rsaPemEncrypted, keys.passphrase)).toEqual({
      ok: true,
      keyType: "ssh-rsa",
    });
  });

  it("asks for the passphrase of an encrypted key", () => {
    for (const key of [keys.ed25519Encrypted, keys.rsaPemEncrypted]) {
      expect(checkPrivateKey(key)).toEqual({
        ok: false,
        message: "the key is encrypted; enter its passphrase",
      });
      expect(checkPrivateKey(key, "")).toMatchObject({
        ok: false,
        message: /enter its passphrase/,
      });
    }
  });

  it("says the passphrase is wrong", () => {
    for (const key of [keys.ed25519Encrypted, keys.rsaPemEncrypted]) {
      expect(checkPrivateKey(key, "not it")).toMatchObject({
        ok: false,
        message: /^wrong passphrase/,
      });
    }
  });

  it("calls garbage and truncated keys malformed", () => {
    expect(checkPrivateKey("hello")).toMatchObject({
      ok: false,
      message: /malformed or unrecognised/,
    });
    const lines = keys.ed25519.trim().split("\n");
    const truncated = [...lines.slice(0, 3), lines.at(-1)].join("\n");
    expect(checkPrivateKey(truncated)).toMatchObject({ ok: false, message: /malformed/ });
    expect(checkPrivateKey("   \n")).toEqual({ ok: false, message: "the key is empty" });
  });

  it("refuses unsupported key types and formats with a reason", () => {
    expect(checkPrivateKey(dsa)).toMatchObject({
      ok: false,
      message: /unsupported key type ssh-dss/,
    });
    expect(checkPrivateKey(pkcs8)).toMatchObject({
      ok: false,
      message: /expected an OpenSSH, PEM/,
    });
  });

  it("tells a public key from a private one", () => {
    expect(checkPrivateKey(publicKey)).toMatchObject({
      ok: false,
      message: /this is a public key/,
    });
  });

  it("assertPrivateKey throws KeyFormatError on the privateKey field", () => {
    expect(assertPrivateKey(keys.ed25519)).toBe("ssh-ed25519");
    try {
      assertPrivateKey(keys.ed25519Encrypted);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KeyFormatError);
      expect(err).toMatchObject({ code: "SSH_KEY_FORMAT", field: "privateKey" });
    }
  });
});
