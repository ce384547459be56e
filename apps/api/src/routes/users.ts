import {
  noContentSchema,
  userAccountSchema,
  userCreateSchema,
  userPatchSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { UserService } from "../services/users.ts";

const userRoutes: FastifyPluginAsyncZod<{ users: UserService }> = async (app, { users }) => {
  const tags = ["users"];

  app.get(
    "/api/users",
    {
      schema: {
        tags,
        summary: "Users (admins only)",
        response: { 200: z.array(userAccountSchema) },
      },
    },
    async () => users.list(),
  );

  app.post(
    "/api/users",
    {
      schema: {
        tags,
        summary: "Add a user with a role: admin, operator (edit and apply) or viewer (read only)",
        body: userCreateSchema,
        response: { 201: userAccountSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await users.create(currentUser(request), request.body)),
  );

  app.patch(
    "/api/users/:id",
    {
      schema: {
        tags,
        summary: "Change a user's role or password (their sessions end)",
        params: idParams,
        body: userPatchSchema,
        response: { 200: userAccountSchema },
      },
    },
    async (request) => users.update(currentUser(request), request.params.id, request.body),
  );

  app.delete(
    "/api/users/:id",
    {
      schema: {
        tags,
        summary: "Delete a user (their tokens and sessions go too)",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await users.remove(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default userRoutes;
