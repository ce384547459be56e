import { noContentSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams, passwordSchema } from "../http/schemas.ts";
import { currentUser, ROLES } from "../plugins/auth.ts";
import type { UserService } from "../services/users.ts";

const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{1,31}$/, {
    message: "must be 2-32 lowercase letters, digits, _ . - starting with a letter",
  });
const roleSchema = z.enum(ROLES, { message: "must be admin, operator or viewer" });
const userResponse = z.object({
  id: z.string(),
  username: z.string(),
  role: z.string(),
  createdAt: z.string(),
});

const userRoutes: FastifyPluginAsyncZod<{ users: UserService }> = async (app, { users }) => {
  const tags = ["users"];

  app.get(
    "/api/users",
    { schema: { tags, summary: "Users (admins only)", response: { 200: z.array(userResponse) } } },
    async () => users.list(),
  );

  app.post(
    "/api/users",
    {
      schema: {
        tags,
        summary: "Add a user with a role: admin, operator (edit and apply) or viewer (read only)",
        body: z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema }),
        response: { 201: userResponse },
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
        body: z.object({ role: roleSchema, password: passwordSchema }).partial(),
        response: { 200: userResponse },
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
