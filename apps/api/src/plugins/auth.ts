// Session guard: every /api route needs a signed-in user except health, the auth routes and the
// API docs. The user is put on the request for handlers and the audit log.
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ApiError } from "../http/api-error.ts";
import { resolveSession, type SessionUser } from "../services/auth-service.ts";

export const SESSION_COOKIE = "lvs_session";

declare module "fastify" {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const PUBLIC_PREFIXES = ["/api/health", "/api/auth/", "/api/docs"];

export function isPublicPath(url: string): boolean {
  const pathname = url.split("?")[0] ?? url;
  if (!pathname.startsWith("/api/") && pathname !== "/api") return true; // the SPA and its assets
  return PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
}

export default fp<{ idleMinutes: number }>(
  async function authPlugin(app: FastifyInstance, opts) {
    await app.register(cookie);
    app.decorateRequest("user", null);
    app.addHook("onRequest", async (request: FastifyRequest) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.user = await resolveSession(app.db, token, opts.idleMinutes);
      if (!request.user && !isPublicPath(request.url)) {
        throw new ApiError(401, "UNAUTHENTICATED", "sign in first");
      }
    });
  },
  { name: "auth", dependencies: ["db"] },
);

/** The signed-in user of a guarded route (the guard has already refused anonymous requests). */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new ApiError(401, "UNAUTHENTICATED", "sign in first");
  return request.user;
}
