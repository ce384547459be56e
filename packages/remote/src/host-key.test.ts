import { describe, expect, it } from "vitest";
import {
  fingerprintOf,
  hostKeyAlgorithmsFor,
  isFingerprint,
  judgeHostKey,
  keyTypeOf,
} from "./host-key.ts";

// Wire-format blob of an ed25519 public key: string "ssh-ed25519", string <32 bytes>.
const blob = Buffer.concat([
  Buffer.from([0, 0, 0, 11]),
  Buffer.from("ssh-ed25519"),
  Buffer.from([0, 0, 0, 32]),
  Buffer.alloc(32, 7),
]);

describe("host keys", () => {
  it("formats fingerprints like OpenSSH (unpadded base64 SHA-256)", () => {
    const fp = fingerprintOf(blob);
    expect(isFingerprint(fp)).toBe(true);
    expect(fp.endsWith("=")).toBe(false);
    expect(keyTypeOf(blob)).toBe("ssh-ed25519");
    expect(keyTypeOf(Buffer.from([0, 0, 9]))).toBe("unknown");
  });

  it("trusts only the pinned key; no pin is not trust", () => {
    const fp = fingerprintOf(blob);
    expect(judgeHostKey(blob, fp).kind).toBe("trusted");
    expect(judgeHostKey(blob, undefined)).toEqual({ kind: "not-pinned", fingerprint: fp });
    const other = `SHA256:${"A".repeat(43)}`;
    expect(judgeHostKey(blob, other)).toEqual({
      kind: "mismatch",
      fingerprint: fp,
      expected: other,
    });
  });

  it("asks for every RSA signature algorithm when RSA is pinned", () => {
    expect(hostKeyAlgorithmsFor("ssh-rsa")).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(hostKeyAlgorithmsFor("ssh-ed25519")).toEqual(["ssh-ed25519"]);
    expect(hostKeyAlgorithmsFor(undefined)).toBeUndefined();
  });
});
