// Turns stored hosts into SSH targets: secrets unsealed only here, at the moment of connecting,
// with the jump chain resolved and the pinned host key attached.
import type { SshTarget } from "@lvs-panel/remote";
import type { Host } from "../generated/prisma/client.ts";
import type { Db } from "../plugins/db.ts";
import { DomainError, notFound } from "./errors.ts";
import type { SecretBox } from "./secret-box.ts";

const MAX_JUMPS = 4;

export function createTargetResolver(db: Db, box: SecretBox) {
  function auth(host: Host): SshTarget["auth"] {
    if (!host.secretCipher) {
      throw new DomainError(
        "conflict",
        "NO_SECRET",
        `host "${host.name}" has no key or password set`,
      );
    }
    const secret = box.open(host.secretCipher);
    if (host.authType === "password") return { type: "password", password: secret };
    return host.passphraseCipher
      ? { type: "key", privateKey: secret, passphrase: box.open(host.passphraseCipher) }
      : { type: "key", privateKey: secret };
  }

  async function jumpOf(host: Host, depth: number): Promise<SshTarget | undefined> {
    if (!host.jumpHostId) return undefined;
    if (depth >= MAX_JUMPS) {
      throw new DomainError("conflict", "JUMP_CHAIN", `jump chain of "${host.name}" is too long`);
    }
    const jump = await db.host.findUnique({ where: { id: host.jumpHostId } });
    if (!jump) throw notFound("jump host");
    return toTarget(jump, depth + 1, true);
  }

  async function toTarget(host: Host, depth: number, requirePin: boolean): Promise<SshTarget> {
    if (requirePin && !host.hostKeySha256) {
      throw new DomainError(
        "conflict",
        "HOST_KEY_NOT_TRUSTED",
        `the host key of "${host.name}" is not trusted yet: scan it and confirm its fingerprint`,
      );
    }
    const jump = await jumpOf(host, depth);
    return {
      id: host.id,
      address: host.address,
      port: host.port,
      username: host.username,
      auth: auth(host),
      ...(host.hostKeySha256 ? { hostKeyFingerprint: host.hostKeySha256 } : {}),
      ...(host.username !== "root" ? { sudo: true } : {}),
      ...(jump ? { jump } : {}),
    };
  }

  return {
    /** A connectable target; refuses hosts (or jump hosts) whose key nobody has confirmed. */
    async target(hostId: string): Promise<SshTarget> {
      const host = await db.host.findUnique({ where: { id: hostId } });
      if (!host) throw notFound("host");
      return toTarget(host, 0, true);
    },
    /** The endpoint and (trusted) jump chain of a host, for a first-contact scan. */
    async scanRequest(hostId: string) {
      const host = await db.host.findUnique({ where: { id: hostId } });
      if (!host) throw notFound("host");
      const jump = await jumpOf(host, 0);
      return {
        host,
        request: { address: host.address, port: host.port, ...(jump ? { jump } : {}) },
      };
    },
  };
}

export type TargetResolver = ReturnType<typeof createTargetResolver>;
