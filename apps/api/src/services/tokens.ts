// API tokens for scripts: 32 random bytes shown once, stored as SHA-256 (a random token needs no
// slow KDF), acting with the role of the user who created them, revocable.
import { randomBytes } from "node:crypto";
import type { Db } from "../plugins/db.ts";
import { auditedWrite } from "./audited-write.ts";
import { type SessionUser, storedRole } from "./auth-service.ts";
import { notFound } from "./errors.ts";
import { hashToken } from "./token-hash.ts";

const TOKEN_PREFIX = "lvsp_";

export function createTokenService(db: Db) {
  const toDto = (t: {
    id: string;
    name: string;
    prefix: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    user: { username: string };
  }) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    username: t.user.username,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  });

  return {
    async create(user: SessionUser, name: string) {
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      return auditedWrite(db, user, {
        action: "token.create",
        entityType: "token",
        before: null,
        write: (tx) =>
          tx.apiToken.create({
            data: {
              name,
              tokenHash: hashToken(token),
              prefix: token.slice(0, 12),
              userId: user.id,
            },
            include: { user: true },
          }),
        // The only time the token itself leaves the server; the audit entry never holds it.
        toDto: (row) => ({ ...toDto(row), token }),
        audited: (dto) => ({ name: dto.name, prefix: dto.prefix }),
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
    /** The user a bearer token acts as, or null for an unknown or revoked token. */
    async resolve(token: string): Promise<SessionUser | null> {
      if (!token.startsWith(TOKEN_PREFIX)) return null;
      const row = await db.apiToken.findUnique({
        where: { tokenHash: hashToken(token) },
        include: { user: true },
      });
      if (!row || row.revokedAt) return null;
      // Last use is informational: at most one write a minute per token.
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
        await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
      }
      return { id: row.user.id, username: row.user.username, role: storedRole(row.user.role) };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
