import {
  apiTokenCreateSchema,
  apiTokenSchema,
  createdApiTokenSchema,
  noContentSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { TokenService } from "../services/tokens.ts";

const tokenRoutes: FastifyPluginAsyncZod<{ tokens: TokenService }> = async (app, { tokens }) => {
  const tags = ["tokens"];
  app.get(
    "/api/tokens",
    {
      schema: {
        tags,
        summary:
          "API tokens (yours; admins see all), with their scope and expiry. The token itself is never shown again.",
        response: { 200: z.array(apiTokenSchema) },
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
        description:
          '`scope: "read"` makes a token that may only read (403 on anything but GET and HEAD); ' +
          "`expiresAt` (ISO 8601, in the future) or `expiresInDays` makes one that stops working " +
          "then (401). Without them a token acts with your role until it is revoked.",
        body: apiTokenCreateSchema,
        response: { 201: createdApiTokenSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tokens.create(currentUser(request), request.body)),
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
