// The Prisma client, one per app instance: SQLite through better-sqlite3 (the default, a `file:`
// DATABASE_URL) or PostgreSQL through pg (a `postgresql://` one). Two generated clients, because
// Prisma refuses an adapter whose database differs from its schema's provider; both come from the
// same data model (docs/decisions/0006-postgresql.md), so the rest of the app sees one `Db` type.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { PrismaClient } from "../generated/prisma/client.ts";
import { PrismaClient as PostgresqlClient } from "../generated/prisma-postgresql/client.ts";

export type Db = PrismaClient;

export type DatabaseProvider = "sqlite" | "postgresql";

declare module "fastify" {
  interface FastifyInstance {
    db: Db;
  }
}

/** `postgresql://` (or `postgres://`) is PostgreSQL; anything else is SQLite, as before. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite";
}

export function createDb(databaseUrl: string): Db {
  if (databaseProvider(databaseUrl) === "postgresql") {
    const client = new PostgresqlClient({
      adapter: new PrismaPg({ connectionString: databaseUrl }),
    });
    // Same models, same query API; TypeScript cannot prove two generated clients' generics
    // equal. Typing the app against the SQLite client keeps it to what both databases accept
    // (the PostgreSQL client's extras, e.g. `mode: "insensitive"`, do not compile), and the API
    // tests run on both.
    return client as unknown as Db;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

export default fp<{ databaseUrl: string }>(
  async function dbPlugin(app: FastifyInstance, opts) {
    const db = createDb(opts.databaseUrl);
    if (databaseProvider(opts.databaseUrl) === "sqlite") {
      // WAL lets the live views read while an apply writes; busy_timeout rides out short locks.
      await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
      await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    }
    app.decorate("db", db);
    app.addHook("onClose", async () => {
      await db.$disconnect();
    });
  },
  { name: "db" },
);
