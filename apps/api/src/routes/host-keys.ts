import { hostKeyScanSchema, hostKeyTrustSchema, hostSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { HostKeyService } from "../services/host-keys.ts";

const hostKeyRoutes: FastifyPluginAsyncZod<{ hostKeys: HostKeyService }> = async (
  app,
  { hostKeys },
) => {
  app.post(
    "/api/hosts/:id/scan",
    {
      schema: {
        tags: ["hosts"],
        summary: "Connect once and return the host key fingerprint for the operator to confirm",
        params: idParams,
        response: { 200: hostKeyScanSchema },
      },
    },
    async (request) => hostKeys.scan(request.params.id),
  );

  app.post(
    "/api/hosts/:id/trust",
    {
      schema: {
        tags: ["hosts"],
        summary:
          "Pin the host key the operator confirmed; refused unless the host presents exactly it",
        params: idParams,
        body: hostKeyTrustSchema,
        response: { 200: hostSchema },
      },
    },
    async (request) =>
      hostKeys.trust(currentUser(request), request.params.id, request.body.fingerprint),
  );
};

export default hostKeyRoutes;
