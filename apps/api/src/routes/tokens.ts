import { noContentSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams, nameSchema } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { TokenService } from "../services/tokens.ts";

const tokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  username: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const tokenRoutes: FastifyPluginAsyncZod<{ tokens: TokenService }> = async (app, { tokens }) => {
  const tags = ["tokens"];
  app.get(
    "/api/tokens",
    {
      schema: {
        tags,
        summary: "API tokens (yours; admins see all). The token itself is never shown again.",
        response: { 200: z.array(tokenResponse) },
      },
    },
    async (request) => tokens.list(currentUser(request)),
  );
  app.post(
    "/api/tokens",
    {
      schema: {
        tags,
        summary:
          "Create an API token for scripts (`Authorization: Bearer <token>`); the response is the only time it is shown",
        body: z.object({ name: nameSchema }),
        response: { 201: tokenResponse.extend({ token: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tokens.create(currentUser(request), request.body.name)),
  );
  app.delete(
    "/api/tokens/:id",
    {
      schema: {
        tags,
        summary: "Revoke an API token",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await tokens.revoke(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default tokenRoutes;
