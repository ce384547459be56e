// Panel users and their roles. Two rules keep the panel manageable: there is always an admin, and
// nobody deletes themselves. A role or password change ends the user's sessions.
import type { Db } from "../plugins/db.ts";
import { auditedWrite } from "./audited-write.ts";
import { type SessionUser, storedRole } from "./auth-service.ts";
import { conflict, DomainError, notFound } from "./errors.ts";
import { hashPassword } from "./password.ts";

export interface NewUserInput {
  username: string;
  password: string;
  role: string;
}

function toUserDto(u: { id: string; username: string; role: string; createdAt: Date }) {
  return {
    id: u.id,
    username: u.username,
    role: storedRole(u.role),
    createdAt: u.createdAt.toISOString(),
  };
}

export function createUserService(db: Db) {
  /** Refuse changes that would leave no admin: the panel would be unmanageable. */
  async function keepAnAdmin(changingId: string) {
    const admins = await db.user.count({ where: { role: "admin", id: { not: changingId } } });
    if (admins === 0) throw conflict("this is the last admin; make another admin first");
  }

  async function existingUser(id: string) {
    const user = await db.user.findUnique({ where: { id } });
    if (!user) throw notFound("user");
    return user;
  }

  return {
    async list() {
      return (await db.user.findMany({ orderBy: { username: "asc" } })).map(toUserDto);
    },

    async create(actor: SessionUser, { username, password, role }: NewUserInput) {
      if (await db.user.findUnique({ where: { username } })) {
        throw conflict(`user ${username} already exists`, { username: "already exists" });
      }
      // Hashed before the transaction: scrypt is slow and SQLite has one writer.
      const passwordHash = await hashPassword(password);
      return auditedWrite(db, actor, {
        action: "user.create",
        entityType: "user",
        before: null,
        write: (tx) => tx.user.create({ data: { username, role, passwordHash } }),
        toDto: toUserDto,
      });
    },

    async update(actor: SessionUser, id: string, change: { role?: string; password?: string }) {
      const before = await existingUser(id);
      const { role, password } = change;
      if (role && role !== "admin" && before.role === "admin") await keepAnAdmin(before.id);
      const passwordHash = password ? await hashPassword(password) : undefined;
      return auditedWrite(db, actor, {
        action: "user.update",
        entityType: "user",
        before: toUserDto(before),
        write: async (tx) => {
          const user = await tx.user.update({
            where: { id: before.id },
            data: { ...(role ? { role } : {}), ...(passwordHash ? { passwordHash } : {}) },
          });
          await tx.session.deleteMany({ where: { userId: user.id } });
          return user;
        },
        toDto: toUserDto,
      });
    },

    async remove(actor: SessionUser, id: string): Promise<void> {
      const user = await existingUser(id);
      if (user.id === actor.id) {
        throw new DomainError("conflict", "SELF", "you cannot delete yourself");
      }
      if (user.role === "admin") await keepAnAdmin(user.id);
      await auditedWrite(db, actor, {
        action: "user.delete",
        entityType: "user",
        before: toUserDto(user),
        write: (tx) => tx.user.delete({ where: { id: user.id } }),
        toDto: () => null,
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
