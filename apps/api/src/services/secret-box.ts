// Secrets at rest (SSH private keys, passwords) are sealed with AES-256-GCM. The key comes from
// LVS_PANEL_SECRET_KEY or from a key file created once, mode 0600, in the data directory.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "v1";

export interface SecretBox {
  seal(plaintext: string): string;
  open(envelope: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString("base64"), tag.toString("base64"), body.toString("base64")].join(
        ":",
      );
    },
    open(envelope) {
      const [version, iv, tag, body] = envelope.split(":");
      if (version !== VERSION || !iv || !tag || body === undefined) {
        throw new Error("not a sealed secret");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([
        decipher.update(Buffer.from(body, "base64")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}

/** Parse LVS_PANEL_SECRET_KEY: 64 hex characters or base64 of exactly 32 bytes. */
export function parseSecretKey(value: string): Buffer {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  const decoded = Buffer.from(trimmed, "base64");
  if (decoded.length === 32) return decoded;
  throw new Error("LVS_PANEL_SECRET_KEY must be 32 bytes as 64 hex characters or base64");
}

/** Read the key file in dataDir, creating it (0600) with a random key on first start. */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return parseSecretKey(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}
