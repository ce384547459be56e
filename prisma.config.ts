// Prisma CLI configuration. Runs fully offline: the "js" engine uses the wasm schema engine shipped
// in the prisma package and the better-sqlite3 driver adapter, so no native engine is downloaded.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// Pointing the engine variables at an existing file stops the CLI from trying to download engines.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= __filename;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= __filename;

process.env.DATABASE_URL ??= "file:./data/lvs-panel.db";
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl });
  },
});
