// Host key fingerprints in OpenSSH's format, and the verifier that enforces a pinned one.

import { createHash } from "node:crypto";
import { hostKeyFingerprintSchema } from "@lvs-panel/lvs";

export function isFingerprint(value: string): boolean {
  return hostKeyFingerprintSchema.safeParse(value).success;
}

/** `SHA256:<base64, no padding>` of the wire-format key blob — what `ssh-keygen -lf` prints. */
export function fingerprintOf(keyBlob: Buffer): string {
  const digest = createHash("sha256").update(keyBlob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** The key type is the blob's first SSH string (e.g. `ssh-ed25519`). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  if (len > keyBlob.length - 4) return "unknown";
  return keyBlob.subarray(4, 4 + len).toString("latin1");
}

export type HostKeyVerdict =
  | { kind: "trusted"; fingerprint: string }
  | { kind: "not-pinned"; fingerprint: string }
  | { kind: "mismatch"; fingerprint: string; expected: string };

/**
 * Decide on a presented host key. No pin means refuse: trust-on-first-use would silently accept
 * whatever answers first, so pinning is a separate, explicit step (scanHostKey + a human).
 */
export function judgeHostKey(keyBlob: Buffer, pinned: string | undefined): HostKeyVerdict {
  const fingerprint = fingerprintOf(keyBlob);
  if (pinned === undefined) return { kind: "not-pinned", fingerprint };
  if (pinned !== fingerprint) return { kind: "mismatch", fingerprint, expected: pinned };
  return { kind: "trusted", fingerprint };
}

const RSA_ALGORITHMS = ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];

/**
 * Host key algorithms to offer when the pinned key's type is known. A server holds several host
 * keys and presents the one the client prefers; asking for the pinned type (as OpenSSH does with
 * known_hosts) keeps an added key of another type from looking like a changed key.
 */
export function hostKeyAlgorithmsFor(keyType: string | undefined): string[] | undefined {
  if (keyType === undefined) return undefined;
  if (keyType === "ssh-rsa") return RSA_ALGORITHMS;
  return [keyType];
}
