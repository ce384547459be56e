// Authentication and authorisation for /api: a session cookie (the browser) or a bearer token
// (scripts); roles decide what each may do. Health, the auth routes and the API docs are public.
// The session cookie is SameSite=Strict, and cookie-authenticated writes must come from this
// origin when the browser says where they come from, so another site cannot act for the user.
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { resolveSession, type SessionUser } from "../services/auth-service.ts";
import { DomainError } from "../services/errors.ts";
import { hashToken } from "../services/token-hash.ts";
import type { TokenService } from "../services/tokens.ts";

export const SESSION_COOKIE = "lvs_session";

import { ROLES, type Role } from "@lvs-panel/contract";

export { ROLES, type Role };

declare module "fastify" {
  interface FastifyRequest {
    user: SessionUser | null;
    authMethod: "session" | "token" | null;
  }
}

const PUBLIC_PREFIXES = ["/api/health", "/api/auth/", "/api/docs"];

export function isPublicPath(url: string): boolean {
  const pathname = url.split("?")[0] ?? url;
  if (!pathname.startsWith("/api/") && pathname !== "/api") return true; // the SPA and its assets
  return PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
}

/** The least role a request needs: reads are for everyone, user admin for admins. */
export function requiredRole(method: string, url: string): Role {
  const pathname = url.split("?")[0] ?? url;
  if (pathname.startsWith("/api/users")) return "admin";
  if (pathname.startsWith("/api/tokens")) return "viewer"; // everyone manages their own tokens
  if (method === "GET" || method === "HEAD") return "viewer";
  return "operator";
}

export function hasRole(user: SessionUser, role: Role): boolean {
  return ROLES.indexOf(user.role as Role) >= ROLES.indexOf(role);
}

export default fp<{ idleMinutes: number; tokens: TokenService }>(
  async function authPlugin(app: FastifyInstance, opts) {
    await app.register(cookie);
    app.decorateRequest("user", null);
    app.decorateRequest("authMethod", null);
    // Resolving a token costs a database read; remember who it belongs to until the next write
    // (any logout, revocation or role change is a write) or for at most two seconds. Unknown
    // tokens are not remembered, so guessing cannot fill the cache.
    const remembered = async (
      key: string,
      resolve: () => Promise<SessionUser | null>,
    ): Promise<SessionUser | null> => {
      const cacheKey = hashToken(key);
      const hit = app.readCache.users.get(cacheKey);
      if (hit) return hit;
      const generation = app.readCache.users.generation;
      const user = await resolve();
      if (user) app.readCache.users.set(cacheKey, generation, user);
      return user;
    };
    app.addHook("onRequest", async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (header?.startsWith("Bearer ")) {
        const token = header.slice(7).trim();
        request.user = await remembered(`t:${token}`, () => opts.tokens.resolve(token));
        if (!request.user)
          throw new DomainError("unauthenticated", "BAD_TOKEN", "unknown or revoked API token");
        request.authMethod = "token";
      } else {
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          request.user = await remembered(`s:${token}`, () =>
            resolveSession(app.db, token, opts.idleMinutes),
          );
        }
        if (request.user) request.authMethod = "session";
      }
      if (isPublicPath(request.url)) return;
      if (!request.user)
        throw new DomainError("unauthenticated", "UNAUTHENTICATED", "sign in first");
      if (
        request.authMethod === "session" &&
        request.method !== "GET" &&
        request.method !== "HEAD"
      ) {
        checkSameOrigin(request);
      }
      const role = requiredRole(request.method, request.url);
      if (!hasRole(request.user, role)) {
        throw new DomainError(
          "forbidden",
          "FORBIDDEN",
          `this needs the ${role} role; you are ${request.user.role}`,
        );
      }
    });
  },
  { name: "auth", dependencies: ["db", "read-cache"] },
);

function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return; // not a browser cross-site request (browsers send Origin on writes)
  const hostHeader = request.headers.host ?? "";
  let same = false;
  try {
    const from = new URL(origin);
    // Compare as URLs so default ports (":80", ":443") match their absence.
    same = from.host === new URL(`${from.protocol}//${hostHeader}`).host;
  } catch {
    same = false;
  }
  if (!same) throw new DomainError("forbidden", "CROSS_ORIGIN", "cross-site requests are refused");
}

/** The signed-in user of a guarded route (the guard has already refused anonymous requests). */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new DomainError("unauthenticated", "UNAUTHENTICATED", "sign in first");
  return request.user;
}
