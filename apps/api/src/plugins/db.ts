// The Prisma client on SQLite (better-sqlite3 driver adapter), one per app instance.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;

declare module "fastify" {
  interface FastifyInstance {
    db: Db;
  }
}

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

export default fp<{ databaseUrl: string }>(
  async function dbPlugin(app: FastifyInstance, opts) {
    const db = createDb(opts.databaseUrl);
    // WAL lets the live views read while an apply writes; busy_timeout rides out short locks.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    app.decorate("db", db);
    app.addHook("onClose", async () => {
      await db.$disconnect();
    });
  },
  { name: "db" },
);
