// Users and sessions. A session is a random token in an httpOnly cookie; only its SHA-256 is
// stored, so a copy of the database does not hand out live sessions.
import { randomBytes } from "node:crypto";
import type { Db } from "../plugins/db.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { hashToken } from "./token-hash.ts";

export interface SessionUser {
  id: string;
  username: string;
  role: string;
}

export const ADMIN_USERNAME = "admin";

/** On first start with LVS_PANEL_ADMIN_PASSWORD set, create `admin`; never overwrite a user. */
export async function ensureAdmin(db: Db, adminPassword: string | undefined): Promise<void> {
  if (!adminPassword) return;
  const existing = await db.user.findUnique({ where: { username: ADMIN_USERNAME } });
  if (existing) return;
  await db.user.create({
    data: {
      username: ADMIN_USERNAME,
      passwordHash: await hashPassword(adminPassword),
      role: "admin",
    },
  });
}

export async function isSetupRequired(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

export async function createFirstAdmin(db: Db, password: string): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(password);
  // The count check and insert run in one transaction so two racing setups cannot both win.
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    const user = await tx.user.create({
      data: { username: ADMIN_USERNAME, passwordHash, role: "admin" },
    });
    return { id: user.id, username: user.username, role: user.role };
  });
}

export async function checkCredentials(
  db: Db,
  username: string,
  password: string,
): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { username } });
  // Hash even for unknown users so response time does not reveal which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) return null;
  return { id: user.id, username: user.username, role: user.role };
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export async function createSession(
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
  return { id: session.user.id, username: session.user.username, role: session.user.role };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}
