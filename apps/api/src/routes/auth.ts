import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { passwordSchema } from "../http/schemas.ts";
import { SESSION_COOKIE } from "../plugins/auth.ts";
import {
  checkCredentials,
  createFirstAdmin,
  createSession,
  deleteSession,
  isSetupRequired,
  type SessionUser,
} from "../services/auth-service.ts";
import { DomainError } from "../services/errors.ts";
import type { LoginLimiter } from "../services/login-limiter.ts";
import { hashPassword } from "../services/password.ts";

const userSchema = z.object({ id: z.string(), username: z.string(), role: z.string() });

const authRoutes: FastifyPluginAsyncZod<{
  idleMinutes: number;
  cookieSecure: boolean;
  limiter: LoginLimiter;
}> = async (app, opts) => {
  async function startSession(reply: FastifyReply, user: SessionUser) {
    const { token, expiresAt } = await createSession(app.db, user.id, opts.idleMinutes);
    reply.setCookie(SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: opts.cookieSecure,
      expires: expiresAt,
    });
  }

  app.get(
    "/api/auth/status",
    {
      schema: {
        tags: ["auth"],
        summary: "Whether first-run setup is needed, and who is signed in",
        response: {
          200: z.object({ setupRequired: z.boolean(), user: userSchema.nullable() }),
        },
      },
    },
    async (request) => ({
      setupRequired: await isSetupRequired(app.db),
      user: request.user,
    }),
  );

  app.post(
    "/api/auth/setup",
    {
      schema: {
        tags: ["auth"],
        summary: "First run only: set the admin password and sign in",
        body: z.object({ password: passwordSchema }),
        response: { 201: z.object({ user: userSchema }) },
      },
    },
    async (request, reply) => {
      const user = await createFirstAdmin(app.db, request.body.password);
      if (!user)
        throw new DomainError(
          "conflict",
          "ALREADY_SET_UP",
          "the admin user already exists; sign in",
        );
      await startSession(reply, user);
      return reply.code(201).send({ user });
    },
  );

  app.post(
    "/api/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Sign in; sets the httpOnly session cookie",
        body: z.object({
          username: z.string().min(1, { message: "is required" }).max(64),
          password: z.string().min(1, { message: "is required" }).max(1024),
        }),
        response: { 200: z.object({ user: userSchema }) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const wait = opts.limiter.retryAfter(username, request.ip);
      if (wait > 0) {
        const minutes = Math.ceil(wait / 60_000);
        reply.header("retry-after", String(Math.ceil(wait / 1000)));
        throw new DomainError(
          "rate_limited",
          "LOCKED_OUT",
          `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
        );
      }
      const user = await checkCredentials(app.db, username, password);
      if (!user) {
        opts.limiter.fail(username, request.ip);
        throw new DomainError("unauthenticated", "BAD_CREDENTIALS", "wrong username or password");
      }
      opts.limiter.succeed(username, request.ip);
      await startSession(reply, user);
      return { user };
    },
  );

  app.post(
    "/api/auth/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change your own password (needs the current one); other sessions end",
        body: z.object({
          currentPassword: z.string().min(1).max(1024),
          newPassword: passwordSchema,
        }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      const me = request.user;
      if (!me) throw new DomainError("unauthenticated", "UNAUTHENTICATED", "sign in first");
      const ok = await checkCredentials(app.db, me.username, request.body.currentPassword);
      if (!ok) {
        throw new DomainError("invalid", "VALIDATION", "currentPassword: is not your password", {
          currentPassword: "is not your password",
        });
      }
      await app.db.user.update({
        where: { id: me.id },
        data: { passwordHash: await hashPassword(request.body.newPassword) },
      });
      await app.db.session.deleteMany({ where: { userId: me.id } });
      await startSession(reply, me);
      return { ok: true as const };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "Sign out; ends the session",
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );
};

export default authRoutes;
