// Users and sessions. A session is a random token in an httpOnly cookie; only its SHA-256 is
// stored, so a copy of the database does not hand out live sessions.

import { randomBytes } from "node:crypto";
import { ROLES, type Role } from "@lvs-panel/contract";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../plugins/db.ts";
import { DomainError } from "./errors.ts";
import type { LoginLimiter } from "./login-limiter.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { hashToken } from "./token-hash.ts";

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

/**
 * A role as stored (text in the database, written only through the role schema). Anything else
 * would be a corrupted row: it gets no role at all rather than a guessed one.
 */
export function storedRole(role: string): Role {
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new Error(`user role "${role}" in the database is not one of ${ROLES.join(", ")}`);
}

const ADMIN_USERNAME = "admin";

/** On first start with LVS_PANEL_ADMIN_PASSWORD set, create `admin`; never overwrite a user. */
export async function ensureAdmin(db: Db, adminPassword: string | undefined): Promise<void> {
  if (!adminPassword) return;
  const existing = await db.user.findUnique({ where: { username: ADMIN_USERNAME } });
  if (existing) return;
  await db.user
    .create({
      data: {
        username: ADMIN_USERNAME,
        passwordHash: await hashPassword(adminPassword),
        role: "admin",
      },
    })
    .catch((err: unknown) => {
      // Another instance starting on the same database created it first (ADR 0008).
      if ((err as { code?: unknown }).code === "P2002") return;
      throw err;
    });
}

async function isSetupRequired(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

async function createFirstAdmin(db: Db, password: string): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(password);
  // The count check and insert run in one transaction so two racing setups cannot both win. On
  // SQLite the loser waits and counts one user; on PostgreSQL both may count none, and the
  // loser's insert hits the unique username instead: the same answer either way.
  return db
    .$transaction(async (tx) => {
      if ((await tx.user.count()) > 0) return null;
      const user = await tx.user.create({
        data: { username: ADMIN_USERNAME, passwordHash, role: "admin" },
      });
      return { id: user.id, username: user.username, role: storedRole(user.role) };
    })
    .catch((err: unknown) => {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return null;
      throw err;
    });
}

async function checkCredentials(
  db: Db,
  username: string,
  password: string,
): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { username } });
  // Hash even for unknown users so response time does not reveal which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) return null;
  return { id: user.id, username: user.username, role: storedRole(user.role) };
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

async function createSession(
  db: Db,
  userId: string,
  idleMinutes: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + idleMinutes * 60_000);
  await db.session.create({ data: { tokenHash: hashToken(token), userId, expiresAt } });
  return { token, expiresAt };
}

/** The user of a live session, sliding its idle expiry forward (at most once a minute). */
export async function resolveSession(
  db: Db,
  token: string,
  idleMinutes: number,
): Promise<SessionUser | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: true },
  });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now - session.lastSeen.getTime() > 60_000) {
    await db.session.update({
      where: { id: session.id },
      data: { lastSeen: new Date(now), expiresAt: new Date(now + idleMinutes * 60_000) },
    });
  }
  return {
    id: session.user.id,
    username: session.user.username,
    role: storedRole(session.user.role),
  };
}

async function deleteSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** A session just started: the routes put its token in the cookie. */
export interface SignedIn {
  user: SessionUser;
  session: { token: string; expiresAt: Date };
}

/** Too many failed sign-ins for this username or address; `retryAfterSeconds` says until when. */
export class SignInLockedOut extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(waitMs: number) {
    const minutes = Math.ceil(waitMs / 60_000);
    super(
      "rate_limited",
      "LOCKED_OUT",
      `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    );
    this.retryAfterSeconds = Math.ceil(waitMs / 1000);
  }
}

/** First-run setup, sign-in, password change and sign-out, each ending in a session or none. */
export function createAuthService(deps: { db: Db; idleMinutes: number; limiter: LoginLimiter }) {
  const { db, idleMinutes, limiter } = deps;
  const signedIn = async (user: SessionUser): Promise<SignedIn> => ({
    user,
    session: await createSession(db, user.id, idleMinutes),
  });

  return {
    async status(user: SessionUser | null) {
      return { setupRequired: await isSetupRequired(db), user };
    },

    /** First run only: the admin's password; afterwards the admin exists and this is refused. */
    async setUp(password: string): Promise<SignedIn> {
      const user = await createFirstAdmin(db, password);
      if (!user) {
        throw new DomainError(
          "conflict",
          "ALREADY_SET_UP",
          "the admin user already exists; sign in",
        );
      }
      return signedIn(user);
    },

    async signIn(attempt: { username: string; password: string; ip: string }): Promise<SignedIn> {
      const { username, password, ip } = attempt;
      const wait = limiter.retryAfter(username, ip);
      if (wait > 0) throw new SignInLockedOut(wait);
      const user = await checkCredentials(db, username, password);
      if (!user) {
        limiter.fail(username, ip);
        throw new DomainError("unauthenticated", "BAD_CREDENTIALS", "wrong username or password");
      }
      limiter.succeed(username, ip);
      return signedIn(user);
    },

    /** Needs the current password; every other session of the user ends, this one is renewed. */
    async changePassword(
      me: SessionUser | null,
      change: { currentPassword: string; newPassword: string },
    ): Promise<SignedIn> {
      // The auth routes are public, so this one checks for a user itself.
      if (!me) throw new DomainError("unauthenticated", "UNAUTHENTICATED", "sign in first");
      if (!(await checkCredentials(db, me.username, change.currentPassword))) {
        throw new DomainError("invalid", "VALIDATION", "currentPassword: is not your password", {
          currentPassword: "is not your password",
        });
      }
      await db.user.update({
        where: { id: me.id },
        data: { passwordHash: await hashPassword(change.newPassword) },
      });
      await db.session.deleteMany({ where: { userId: me.id } });
      return signedIn(me);
    },

    async signOut(sessionToken: string | undefined): Promise<void> {
      if (sessionToken) await deleteSession(db, sessionToken);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
