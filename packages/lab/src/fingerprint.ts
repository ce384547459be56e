// OpenSSH's host key fingerprint format, `SHA256:<base64 without padding>` of the key blob.
import { createHash } from "node:crypto";

export function fingerprintOfBlob(blob: Buffer): string {
  const digest = createHash("sha256").update(blob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** Fingerprint of a public key line (`ssh-ed25519 AAAA… comment`), as `ssh-keygen -lf` shows. */
export function fingerprintOfPublicKey(line: string): string {
  const blob = line.trim().split(/\s+/)[1];
  if (blob === undefined) throw new Error(`not a public key line: ${line}`);
  return fingerprintOfBlob(Buffer.from(blob, "base64"));
}
