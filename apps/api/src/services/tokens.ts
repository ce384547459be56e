// API tokens for scripts: 32 random bytes shown once, stored as SHA-256 (a random token needs no
// slow KDF), acting with the role of the user who created them (or only reading, for a read-only
// token), until revoked or until they expire.
import { randomBytes } from "node:crypto";
import type { ApiTokenCreate, TokenScope } from "@lvs-panel/contract";
import type { Db } from "../plugins/db.ts";
import { auditedWrite } from "./audited-write.ts";
import { type SessionUser, storedRole } from "./auth-service.ts";
import { notFound } from "./errors.ts";
import { hashToken } from "./token-hash.ts";

const TOKEN_PREFIX = "lvsp_";

/** Who a bearer token acts as, and how far. */
export interface TokenHolder {
  user: SessionUser;
  scope: TokenScope;
  /** Epoch milliseconds; null: never expires. Checked on every request, cached or not. */
  expiresAtMs: number | null;
}

/** Why a bearer token does not authenticate: said to the script in plain words. */
export type TokenRefusal = { refused: "unknown" | "revoked" } | { refused: "expired"; at: Date };

/** A scope as stored (text, written only through the scope schema); anything else reads only. */
function storedScope(scope: string | null): TokenScope {
  return scope === "full" || scope === null ? "full" : "read";
}

/** When a token created with this input stops working; null for never. */
export function tokenExpiry(input: ApiTokenCreate, now = Date.now()): Date | null {
  if (input.expiresAt !== undefined) return new Date(input.expiresAt);
  if (input.expiresInDays !== undefined) return new Date(now + input.expiresInDays * 86_400_000);
  return null;
}

export function createTokenService(db: Db) {
  const toDto = (t: {
    id: string;
    name: string;
    prefix: string;
    scope: string | null;
    createdAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    expiresAt: Date | null;
    user: { username: string };
  }) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    username: t.user.username,
    scope: storedScope(t.scope),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
  });

  /** Who a bearer token acts as and how far, or why it does not authenticate. */
  async function verify(token: string): Promise<TokenHolder | TokenRefusal> {
    if (!token.startsWith(TOKEN_PREFIX)) return { refused: "unknown" };
    const row = await db.apiToken.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: true },
    });
    if (!row) return { refused: "unknown" };
    if (row.revokedAt) return { refused: "revoked" };
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      return { refused: "expired", at: row.expiresAt };
    }
    // Last use is informational: at most one write a minute per token.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    return {
      user: { id: row.user.id, username: row.user.username, role: storedRole(row.user.role) },
      scope: storedScope(row.scope),
      expiresAtMs: row.expiresAt?.getTime() ?? null,
    };
  }

  return {
    async create(user: SessionUser, input: ApiTokenCreate) {
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      return auditedWrite(db, user, {
        action: "token.create",
        entityType: "token",
        before: null,
        write: (tx) =>
          tx.apiToken.create({
            data: {
              name: input.name,
              tokenHash: hashToken(token),
              prefix: token.slice(0, 12),
              userId: user.id,
              scope: input.scope ?? "full",
              expiresAt: tokenExpiry(input),
            },
            include: { user: true },
          }),
        // The only time the token itself leaves the server; the audit entry never holds it.
        toDto: (row) => ({ ...toDto(row), token }),
        audited: (dto) => ({
          name: dto.name,
          prefix: dto.prefix,
          scope: dto.scope,
          expiresAt: dto.expiresAt,
        }),
      });
    },
    async list(user: SessionUser) {
      const rows = await db.apiToken.findMany({
        where: user.role === "admin" ? {} : { userId: user.id },
        include: { user: true },
        orderBy: { createdAt: "desc" },
      });
      return rows.map(toDto);
    },
    async revoke(user: SessionUser, id: string) {
      const row = await db.apiToken.findUnique({ where: { id } });
      if (!row || (user.role !== "admin" && row.userId !== user.id)) throw notFound("token");
      await auditedWrite(db, user, {
        action: "token.revoke",
        entityType: "token",
        before: { prefix: row.prefix },
        write: (tx) =>
          tx.apiToken.update({ where: { id }, data: { revokedAt: row.revokedAt ?? new Date() } }),
        toDto: () => null,
      });
    },
    /** The user a bearer token acts as, or null for an unknown, revoked or expired token. */
    async resolve(token: string): Promise<SessionUser | null> {
      const checked = await verify(token);
      return "user" in checked ? checked.user : null;
    },
    verify,
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
