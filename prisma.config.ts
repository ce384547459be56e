// Prisma CLI configuration. Runs fully offline: the "js" engine uses the wasm schema engine shipped
// in the prisma package and a driver adapter, so no native engine is downloaded.
// DATABASE_URL picks the database: a `file:` URL is SQLite (prisma/schema.prisma and its
// migrations), a `postgresql://` URL is PostgreSQL (the schema and migrations derived from it,
// docs/decisions/0006-postgresql.md), so `prisma migrate deploy` runs the right folder.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// Pointing the engine variables at an existing file stops the CLI from trying to download engines.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= __filename;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= __filename;

process.env.DATABASE_URL ??= "file:./data/lvs-panel.db";
const databaseUrl = process.env.DATABASE_URL;
const postgresql = /^postgres(ql)?:\/\//.test(databaseUrl);
const prismaDir = postgresql ? path.join("prisma", "postgresql") : "prisma";

// Prisma 6.19's wasm schema engine reads PostgreSQL's catalogs through the pg adapter, which
// refuses their `name` columns ("Column type 'name' could not be deserialized", prisma/prisma#27403,
// open). `name` is text on the wire: let this CLI process read it as text. Not done in the app,
// which never reads the catalogs.
if (postgresql) {
  const PG_NAME = 19;
  const PG_TEXT = 25;
  const result = pg.Result.prototype as unknown as { addFields(fields: pg.FieldDef[]): void };
  const addFields = result.addFields;
  result.addFields = function (fields) {
    for (const field of fields) if (field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT;
    return addFields.call(this, fields);
  };
  // The same engine arms a 10 s timer it never clears (a lock timeout), so every migrate command
  // would sit idle for 10 s before exiting: such long timers must not hold this process open.
  const setTimer = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number, ...args: unknown[]) => {
    const timer: NodeJS.Timeout = Reflect.apply(setTimer, globalThis, [fn, ms, ...args]);
    if ((ms ?? 0) >= 10_000) timer.unref();
    return timer;
  }) as typeof setTimeout;
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join(prismaDir, "schema.prisma"),
  migrations: { path: path.join(prismaDir, "migrations") },
  async adapter() {
    return postgresql
      ? // The CLI never closes the adapter: idle pooled connections must not keep it alive.
        new PrismaPg({ connectionString: databaseUrl, allowExitOnIdle: true })
      : new PrismaBetterSQLite3({ url: databaseUrl });
  },
});
