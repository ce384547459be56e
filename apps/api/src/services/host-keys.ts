// Host key trust: the panel pins the key the operator confirmed, and only if the host presents
// exactly that key when asked again, so a key swapped between scan and trust is never pinned.
import { scanHostKey } from "@lvs-panel/remote";
import type { Db } from "../plugins/db.ts";
import { auditedWrite } from "./audited-write.ts";
import type { SessionUser } from "./auth-service.ts";
import { DomainError } from "./errors.ts";
import { toHostDto } from "./host-service.ts";
import type { TargetResolver } from "./host-targets.ts";

export function createHostKeyService(deps: {
  db: Db;
  targets: TargetResolver;
  scanTimeoutMs?: number;
}) {
  const { db, targets, scanTimeoutMs } = deps;

  async function scan(hostId: string) {
    const { host, request } = await targets.scanRequest(hostId);
    // SSH failures reach the error plugin as they are: it maps them to 502/504 or 409.
    const key = await scanHostKey(request, { timeoutMs: scanTimeoutMs ?? 10_000 });
    return { host, key };
  }

  return {
    /** The key the host presents now, and what is pinned, so the UI can say "unchanged". */
    async scan(hostId: string) {
      const { host, key } = await scan(hostId);
      return { fingerprint: key.fingerprint, keyType: key.keyType, pinned: host.hostKeySha256 };
    },

    async trust(user: SessionUser, hostId: string, fingerprint: string) {
      const { host, key } = await scan(hostId);
      if (key.fingerprint !== fingerprint) {
        throw new DomainError(
          "conflict",
          "FINGERPRINT_MISMATCH",
          `the host presents ${key.fingerprint}, not the fingerprint you confirmed`,
          { fingerprint: "does not match the key the host presents now" },
        );
      }
      return auditedWrite(db, user, {
        action: "host.trust",
        entityType: "host",
        before: { hostKeySha256: host.hostKeySha256 },
        write: (tx) =>
          tx.host.update({ where: { id: host.id }, data: { hostKeySha256: key.fingerprint } }),
        toDto: toHostDto,
        audited: () => ({ hostKeySha256: key.fingerprint }),
      });
    },
  };
}

export type HostKeyService = ReturnType<typeof createHostKeyService>;
