import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams, passwordSchema } from "../http/schemas.ts";
import { currentUser, ROLES } from "../plugins/auth.ts";
import { recordAudit } from "../services/audit.ts";
import { conflict, DomainError, notFound } from "../services/errors.ts";
import { hashPassword } from "../services/password.ts";

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

const toDto = (u: { id: string; username: string; role: string; createdAt: Date }) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
});

const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ["users"];

  /** Refuse changes that would leave no admin: the panel would be unmanageable. */
  async function keepAnAdmin(changingId: string) {
    const admins = await app.db.user.count({ where: { role: "admin", id: { not: changingId } } });
    if (admins === 0) throw conflict("this is the last admin; make another admin first");
  }

  app.get(
    "/api/users",
    { schema: { tags, summary: "Users (admins only)", response: { 200: z.array(userResponse) } } },
    async () => (await app.db.user.findMany({ orderBy: { username: "asc" } })).map(toDto),
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
    async (request, reply) => {
      const { username, password, role } = request.body;
      if (await app.db.user.findUnique({ where: { username } })) {
        throw conflict(`user ${username} already exists`, { username: "already exists" });
      }
      const user = await app.db.user.create({
        data: { username, role, passwordHash: await hashPassword(password) },
      });
      await recordAudit(
        app.db,
        currentUser(request),
        "user.create",
        { type: "user", id: user.id },
        null,
        toDto(user),
      );
      return reply.code(201).send(toDto(user));
    },
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
    async (request) => {
      const before = await app.db.user.findUnique({ where: { id: request.params.id } });
      if (!before) throw notFound("user");
      const { role, password } = request.body;
      if (role && role !== "admin" && before.role === "admin") await keepAnAdmin(before.id);
      const user = await app.db.user.update({
        where: { id: before.id },
        data: {
          ...(role ? { role } : {}),
          ...(password ? { passwordHash: await hashPassword(password) } : {}),
        },
      });
      await app.db.session.deleteMany({ where: { userId: user.id } });
      await recordAudit(
        app.db,
        currentUser(request),
        "user.update",
        { type: "user", id: user.id },
        toDto(before),
        toDto(user),
      );
      return toDto(user);
    },
  );

  app.delete(
    "/api/users/:id",
    {
      schema: {
        tags,
        summary: "Delete a user (their tokens and sessions go too)",
        params: idParams,
      },
    },
    async (request, reply) => {
      const me = currentUser(request);
      const user = await app.db.user.findUnique({ where: { id: request.params.id } });
      if (!user) throw notFound("user");
      if (user.id === me.id)
        throw new DomainError("conflict", "SELF", "you cannot delete yourself");
      if (user.role === "admin") await keepAnAdmin(user.id);
      await app.db.user.delete({ where: { id: user.id } });
      await recordAudit(
        app.db,
        me,
        "user.delete",
        { type: "user", id: user.id },
        toDto(user),
        null,
      );
      return reply.code(204).send();
    },
  );
};

export default userRoutes;
