import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { passwordSchema } from "../http/schemas.ts";
import { SESSION_COOKIE } from "../plugins/auth.ts";
import { type AuthService, type SignedIn, SignInLockedOut } from "../services/auth-service.ts";

const userSchema = z.object({ id: z.string(), username: z.string(), role: z.string() });

const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; cookieSecure: boolean }> = async (
  app,
  { auth, cookieSecure },
) => {
  function setSessionCookie(reply: FastifyReply, { session }: SignedIn) {
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: cookieSecure,
      expires: session.expiresAt,
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
    async (request) => auth.status(request.user),
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
      const signedIn = await auth.setUp(request.body.password);
      setSessionCookie(reply, signedIn);
      return reply.code(201).send({ user: signedIn.user });
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
      try {
        const signedIn = await auth.signIn({ ...request.body, ip: request.ip });
        setSessionCookie(reply, signedIn);
        return { user: signedIn.user };
      } catch (err) {
        // The error plugin sends the body; the header that says when to retry is HTTP's part.
        if (err instanceof SignInLockedOut) {
          reply.header("retry-after", String(err.retryAfterSeconds));
        }
        throw err;
      }
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
      setSessionCookie(reply, await auth.changePassword(request.user, request.body));
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
      await auth.signOut(request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );
};

export default authRoutes;
