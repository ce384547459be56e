// Authentication and authorisation for /api: a session cookie (the browser) or a bearer token
// (scripts); roles decide what each may do, and a read-only token only reads. Health, the auth
// routes and the API docs are public.
// The session cookie is SameSite=Strict, and cookie-authenticated writes must come from this
// origin when the browser says where they come from, so another site cannot act for the user.
import cookie from "@fastify/cookie";
import type { TokenScope } from "@lvs-panel/contract";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { resolveSession, type SessionUser } from "../services/auth-service.ts";
import { DomainError } from "../services/errors.ts";
import type { ReadCache } from "../services/read-cache.ts";
import { hashToken } from "../services/token-hash.ts";
import type { TokenHolder, TokenService } from "../services/tokens.ts";

export const SESSION_COOKIE = "lvs_session";

import { ROLES, type Role } from "@lvs-panel/contract";

export { ROLES, type Role };

declare module "fastify" {
  interface FastifyRequest {
    user: SessionUser | null;
    authMethod: "session" | "token" | null;
    /** The bearer token's scope; null for a session (or no user). */
    tokenScope: TokenScope | null;
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
    app.decorateRequest("tokenScope", null);
    // Resolving a token costs a database read; remember who it belongs to until the next write
    // (any logout, revocation or role change is a write) or for at most two seconds. Unknown
    // tokens are not remembered, so guessing cannot fill the cache.
    const remembered = async <T extends object, R>(
      cache: ReadCache<T>,
      key: string,
      resolve: () => Promise<T | R>,
      keep: (value: T | R) => value is T,
    ): Promise<T | R> => {
      const cacheKey = hashToken(key);
      const hit = cache.get(cacheKey);
      if (hit) return hit;
      const generation = cache.generation;
      const value = await resolve();
      if (keep(value)) cache.set(cacheKey, generation, value);
      return value;
    };
    app.addHook("onRequest", async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (header?.startsWith("Bearer ")) {
        const token = header.slice(7).trim();
        const holder = await remembered(
          app.readCache.tokens,
          `t:${token}`,
          () => opts.tokens.verify(token),
          (v): v is TokenHolder => "user" in v,
        );
        checkToken(holder, request.method);
        request.user = holder.user;
        request.authMethod = "token";
        request.tokenScope = holder.scope;
      } else {
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          request.user = await remembered(
            app.readCache.users,
            `s:${token}`,
            () => resolveSession(app.db, token, opts.idleMinutes),
            (v): v is SessionUser => v !== null,
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

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Refuses a bearer token that does not authenticate (401, saying why in plain words), and any
 * write through a read-only token (403): before the public paths too, so a read-only token cannot
 * change its user's password either. Expiry is checked here, not only when the token is looked
 * up, so a remembered token stops at its expiry to the second.
 */
function checkToken(
  checked: Awaited<ReturnType<TokenService["verify"]>>,
  method: string,
): asserts checked is TokenHolder {
  const expiredAt =
    "refused" in checked
      ? checked.refused === "expired"
        ? checked.at
        : null
      : checked.expiresAtMs !== null && checked.expiresAtMs <= Date.now()
        ? new Date(checked.expiresAtMs)
        : null;
  if (expiredAt) {
    throw new DomainError(
      "unauthenticated",
      "TOKEN_EXPIRED",
      `this API token expired on ${expiredAt.toISOString()}; create a new one on the API tokens page`,
    );
  }
  if ("refused" in checked) {
    throw new DomainError("unauthenticated", "BAD_TOKEN", "unknown or revoked API token");
  }
  if (checked.scope === "read" && !READ_METHODS.has(method)) {
    throw new DomainError(
      "forbidden",
      "READ_ONLY_TOKEN",
      "this API token is read-only: it may only read (GET); use a token with full scope to make changes",
    );
  }
}

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
