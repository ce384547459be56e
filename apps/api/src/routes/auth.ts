import {
  authStatusSchema,
  loginSchema,
  okSchema,
  passwordChangeSchema,
  setupSchema,
  signedInSchema,
} from "@lvs-panel/contract";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { SESSION_COOKIE } from "../plugins/auth.ts";
import { type AuthService, type SignedIn, SignInLockedOut } from "../services/auth-service.ts";

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
          200: authStatusSchema,
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
        body: setupSchema,
        response: { 201: signedInSchema },
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
        body: loginSchema,
        response: { 200: signedInSchema },
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
        body: passwordChangeSchema,
        response: { 200: okSchema },
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
        response: { 200: okSchema },
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
