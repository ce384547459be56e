import { isFingerprint, scanHostKey } from "@lvs-panel/remote";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import { recordAudit } from "../services/audit.ts";
import { DomainError } from "../services/errors.ts";
import { toHostDto } from "../services/host-service.ts";
import type { TargetResolver } from "../services/host-targets.ts";
import { hostResponse } from "./hosts.ts";

const scanResponse = z.object({
  fingerprint: z.string(),
  keyType: z.string(),
  /** What is pinned now, so the UI can say "unchanged" or "CHANGED". */
  pinned: z.string().nullable(),
});

const hostKeyRoutes: FastifyPluginAsyncZod<{
  targets: TargetResolver;
  scanTimeoutMs?: number;
}> = async (app, { targets, scanTimeoutMs }) => {
  async function scan(hostId: string) {
    const { host, request } = await targets.scanRequest(hostId);
    // SSH failures reach the error plugin as they are: it maps them to 502/504 or 409.
    const key = await scanHostKey(request, { timeoutMs: scanTimeoutMs ?? 10_000 });
    return { host, key };
  }

  app.post(
    "/api/hosts/:id/scan",
    {
      schema: {
        tags: ["hosts"],
        summary: "Connect once and return the host key fingerprint for the operator to confirm",
        params: idParams,
        response: { 200: scanResponse },
      },
    },
    async (request) => {
      const { host, key } = await scan(request.params.id);
      return { fingerprint: key.fingerprint, keyType: key.keyType, pinned: host.hostKeySha256 };
    },
  );

  app.post(
    "/api/hosts/:id/trust",
    {
      schema: {
        tags: ["hosts"],
        summary:
          "Pin the host key the operator confirmed; refused unless the host presents exactly it",
        params: idParams,
        body: z.object({
          fingerprint: z
            .string()
            .refine(isFingerprint, { message: "must look like SHA256:<43 base64 characters>" }),
        }),
        response: { 200: hostResponse },
      },
    },
    async (request) => {
      const { host, key } = await scan(request.params.id);
      if (key.fingerprint !== request.body.fingerprint) {
        throw new DomainError(
          "conflict",
          "FINGERPRINT_MISMATCH",
          `the host presents ${key.fingerprint}, not the fingerprint you confirmed`,
          { fingerprint: "does not match the key the host presents now" },
        );
      }
      const user = currentUser(request);
      return app.db.$transaction(async (tx) => {
        const updated = await tx.host.update({
          where: { id: host.id },
          data: { hostKeySha256: key.fingerprint },
        });
        await recordAudit(
          tx,
          user,
          "host.trust",
          { type: "host", id: host.id },
          { hostKeySha256: host.hostKeySha256 },
          { hostKeySha256: key.fingerprint },
        );
        return toHostDto(updated);
      });
    },
  );
};

export default hostKeyRoutes;
